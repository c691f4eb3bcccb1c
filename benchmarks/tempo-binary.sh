# Sourced by the benchmark scripts: where the tempo executable they time comes from, in one place.
#
# tempo_binary REPO MODE  prints the path of the tempo executable (the apphost), or fails with a one-line error:
#   build      `dotnet build` Release, then the built executable
#   no-build   the built executable as it is
#   published  `dotnet publish -r <this machine's RID>` into src/Tempo.Cli/bin/Release/published/RID: ReadyToRun, the
#              form users install, so start-up code is precompiled instead of JIT-compiled inside the timed run
tempo_binary() {
    local repo=$1 mode=$2 me rid folder binaries
    me=$(basename "$0")
    case "$mode" in
        published)
            rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
            folder="$repo/src/Tempo.Cli/bin/Release/published/$rid"
            dotnet publish "$repo/src/Tempo.Cli" -c Release -r "$rid" --self-contained false -o "$folder" --nologo -v q >/dev/null \
                || { echo "$me: error: publish failed; run: dotnet publish $repo/src/Tempo.Cli -c Release -r $rid" >&2; return 1; }
            echo "$folder/tempo"
            return 0 ;;
        build)
            dotnet build "$repo/src/Tempo.Cli" -c Release --nologo -v q >/dev/null \
                || { echo "$me: error: build failed; run: dotnet build $repo/src/Tempo.Cli -c Release" >&2; return 1; } ;;
        no-build) ;;
        *) echo "$me: error: tempo_binary: unknown mode '$mode' (build, no-build or published)" >&2; return 1 ;;
    esac
    shopt -s nullglob
    binaries=("$repo"/src/Tempo.Cli/bin/Release/net*/tempo)
    shopt -u nullglob
    [[ ${#binaries[@]} -eq 1 && -x "${binaries[0]}" ]] \
        || { echo "$me: error: expected one built tempo under src/Tempo.Cli/bin/Release/net*/, found ${#binaries[@]} (build without --no-build?)" >&2; return 1; }
    echo "${binaries[0]}"
}

#!/usr/bin/env bash
# DQN on CartPole-v1 with CleanRL's dqn.py defaults (configs/dqn/cartpole-cleanrl.json): wall-clock and env steps to a
# last-20 mean return of 475, per seed, optionally interleaved per seed with CleanRL's dqn.py run by
# /work/shared/peers/bench/side_by_side.sh (PyTorch CPU, 1 thread) so machine-load drift hits both alike.
#
# Usage: benchmarks/replay/dqn_cartpole.sh [--seeds "1 2 3"] [--peer PATH/TO/side_by_side.sh] [--no-build] [--published]
# --published times the published form (`dotnet publish -r <this machine's RID>`: ReadyToRun, as users install it).
# Prints one line per run: who, seed, solved step, wall seconds to 475 (from the start of training).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1 2 3"
peer=""
build=1
published=0
die() { echo "dqn_cartpole.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --peer) peer=${2:?--peer needs a path}; shift 2 ;;
        --no-build) build=0; shift ;;
        --published) published=1; shift ;;
        -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ -z "$peer" || -f "$peer" ]] || die "--peer $peer does not exist"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ $published -eq 1 ]]; then
    rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
    dotnet publish "$repo/src/Tempo.Cli" -c Release -r "$rid" --self-contained false -o "$work/published" --nologo -v q >/dev/null \
        || die "publish failed; run: dotnet publish $repo/src/Tempo.Cli -c Release -r $rid"
    tempo="$work/published/tempo.dll"
else
    if [[ $build -eq 1 ]]; then
        dotnet build "$repo/src/Tempo.Cli" -c Release --nologo -v q >/dev/null || die "build failed; run: dotnet build $repo/src/Tempo.Cli -c Release"
    fi
    tempo=$(ls "$repo"/src/Tempo.Cli/bin/Release/net*/tempo.dll | head -1)
    [[ -f "$tempo" ]] || die "no built tempo.dll under src/Tempo.Cli/bin/Release"
fi

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p')"
for seed in $seeds; do
    log="$work/tempo-$seed.log"
    dotnet "$tempo" train --config "$repo/configs/dqn/cartpole-cleanrl.json" --seed "$seed" --target-return 475 --run-dir "$work/run-$seed" >"$log" 2>&1 || die "tempo failed (seed $seed): $(tail -3 "$log")"
    solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
    sps=$(sed -n 's/.* \([0-9]*\) steps in \([0-9.]*\) s;.*/\1 \2/p' "$log" | awk '{ printf "%.0f", $1 / $2 }')
    echo "tempo dqn   seed $seed: solved_step ${solved% *} wall_s ${solved#* } (${sps} steps/s overall)"
    if [[ -n "$peer" ]]; then
        echo "cleanrl dqn seed $seed: $(bash "$peer" cleanrl-dqn "$seed")"
    fi
done

#!/usr/bin/env bash
# Packs every library and the tempo tool into a temporary folder, installs the tool from there into a temporary tool
# path (as a user would from a feed), and runs it: `tempo envs`, a short CartPole training run, then `tempo export` and
# `tempo plot` on that run (plot loads SkiaSharp's native library from the installed tool).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(dotnet msbuild src/Tempo.Cli/Tempo.Cli.csproj -getProperty:Version)

dotnet pack Tempo.slnx -c Release -o "$work/artifacts" --nologo -v quiet
for package in Tempo.Core Tempo.Nn Tempo.Algorithms Tempo.Runtime Tempo.Plotting Tempo.Cli.linux-x64; do
  test -s "$work/artifacts/$package.$version.nupkg" || { echo "missing $package.$version.nupkg"; exit 1; }
  test -s "$work/artifacts/$package.$version.snupkg" || { echo "missing $package.$version.snupkg"; exit 1; }
done
# The tool is one small top-level package naming a package per platform (native libraries for that platform only).
test -s "$work/artifacts/Tempo.Cli.$version.nupkg" || { echo "missing Tempo.Cli.$version.nupkg"; exit 1; }
size=$(stat -c %s "$work/artifacts/Tempo.Cli.linux-x64.$version.nupkg")
test "$size" -le $((16 * 1024 * 1024)) || { echo "Tempo.Cli.linux-x64.$version.nupkg is $size bytes; it should stay under 16 MiB"; exit 1; }

dotnet tool install Tempo.Cli --tool-path "$work/tool" --add-source "$work/artifacts" --version "$version"
"$work/tool/tempo" envs
"$work/tool/tempo" train --env CartPole-v1 --total-timesteps 4096 --run-dir "$work/run" --plain
test -s "$work/run/checkpoint.tempo" || { echo "the installed tool's run left no checkpoint"; exit 1; }
"$work/tool/tempo" export --checkpoint "$work/run" --onnx "$work/policy.onnx"
"$work/tool/tempo" plot "$work/run" -o "$work/curves.png"
test -s "$work/policy.onnx" && test -s "$work/curves.png" || { echo "the installed tool wrote no ONNX file or no plot"; exit 1; }
echo "tool package check passed ($version)"

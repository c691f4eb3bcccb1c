#!/usr/bin/env bash
# Real-game figures on SuperTux under Xvfb (needs xvfb and supertux: scripts/install-test-deps.sh), then the
# per-part BenchmarkDotNet figures. Usage: benchmarks/games/figures.sh [seconds-at-15Hz]
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "CPU: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run --project benchmarks/games/GameFigures -c Release -- "${1:-20}"
# BenchmarkDotNet builds its boilerplate next to the project: run it from there.
(cd benchmarks/Tempo.Benchmarks && dotnet run -c Release -- --filter '*GamePipelineBenchmarks*' --job short)

#!/usr/bin/env bash
# Fleet transport throughput on loopback: starts a redis-server of its own on a free port (no persistence), runs
# `Tempo.Benchmarks redis-throughput` against it (CartPole segments and 4x64x64 byte frames, end to end), stops it by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
sleep 0.5
lscpu | grep 'Model name'
dotnet run --project benchmarks/Tempo.Benchmarks -c Release --no-build -- redis-throughput "redis://127.0.0.1:$port"

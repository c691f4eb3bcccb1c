#!/usr/bin/env bash
# Learning over the fleet: `tempo learner` + 4 `tempo actor` processes on LiveCartPole-v1 at 200 Hz until the last-20
# mean return reaches 475, for each seed in ${SEEDS:-1 2 3}; then the in-process async run with the same settings
# (4 actor threads) for comparison. Prints each run's `solved:` line or final line; its own redis-server, stopped by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${SEEDS:-"1 2 3"}
BUDGET=${BUDGET:-2000000}
dotnet build src/Tempo.Cli -c Release -v q >/dev/null
tempo="dotnet src/Tempo.Cli/bin/Release/net10.0/tempo.dll"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
redis_pid=$!
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; kill "$redis_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
sleep 0.5
url="redis://127.0.0.1:$port"
lscpu | grep 'Model name'; uptime
flags=(--env LiveCartPole-v1 --tick-rate 200 --algo appo --target-return 475 --total-timesteps "$BUDGET" --plain)
for seed in $SEEDS; do
  run="learn-$seed"
  for k in 0 1 2 3; do
    $tempo actor --redis "$url" --run "$run" --actor-id "$k" >"$dir/actor-$seed-$k.log" 2>&1 &
    pids+=($!)
  done
  echo "fleet seed $seed: $($tempo learner --redis "$url" --run "$run" "${flags[@]}" --seed "$seed" --run-dir "$dir/fleet-$seed" | grep -E '^(solved|learned)' | tr '\n' ' ')"
  echo "in-process async seed $seed: $($tempo train "${flags[@]}" --schedule async --num-actors 4 --seed "$seed" --run-dir "$dir/async-$seed" | grep -E '^(solved|trained)' | tr '\n' ' ')"
done

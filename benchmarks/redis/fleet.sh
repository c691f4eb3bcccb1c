#!/usr/bin/env bash
# Fleet scaling: one `tempo learner` and N `tempo actor` processes on LiveCartPole-v1 at 50 Hz (1 env each), for
# N in ${COUNTS:-1 2 4 8 16 32}. After max(WARM, 2N) seconds it samples the members hash (redis-cli) every second for MEASURE seconds and
# prints, per N: the env steps/s the learner ingested (entries its consumer group read, x 32 steps, over the measurement) and, over every actor and sample, the worst
# per-second action-gap p99 and max. Its own redis-server on a free port, stopped by pid; processes stopped by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNTS=${COUNTS:-"1 2 4 8 16 32"}
WARM=${WARM:-8}
MEASURE=${MEASURE:-10}
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
echo "| actors | ingested env steps/s | expected (50 x N) | actors' gap p99, worst (ms) | actors' gap max, worst (ms) | dropped |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $COUNTS; do
  run="scale-$n"
  $tempo learner --redis "$url" --run "$run" --env LiveCartPole-v1 --num-envs 1 --num-steps 32 --num-minibatches 1 \
    --total-timesteps 100000000 --plain --run-dir "$dir/run-$n" >"$dir/learner-$n.log" 2>&1 &
  pids+=($!); learner=$!
  sleep 2
  actors=()
  for ((k = 0; k < n; k++)); do
    $tempo actor --redis "$url" --run "$run" --actor-id "$k" >"$dir/actor-$n-$k.log" 2>&1 &
    pids+=($!); actors+=($!)
  done
  # N .NET processes compile their code at start on the same cores: give each ~2 s before measuring.
  warm=$(( WARM > 2 * n ? WARM : 2 * n ))
  sleep "$warm"
  # Sampled with redis-cli, not `tempo status`: starting a .NET process every second would steal the actors' cores.
  # Ingest is counted by Redis itself: entries the learner's group has read (each one segment of 32 steps), over the measurement.
  read0=$(redis-cli -p "$port" XINFO GROUPS "tempo:v1:$run:segments" | awk 'prev == "entries-read" {print; exit} {prev = $0}'); t0=$(date +%s.%N)
  for ((s = 0; s < MEASURE; s++)); do
    sleep 1
    redis-cli -p "$port" --raw HGETALL "tempo:v1:$run:members" >"$dir/status-$n-$s.txt"
  done
  read1=$(redis-cli -p "$port" XINFO GROUPS "tempo:v1:$run:segments" | awk 'prev == "entries-read" {print; exit} {prev = $0}'); t1=$(date +%s.%N)
  echo "$read0 $read1 $t0 $t1" >"$dir/ingest-$n.txt"
  python3 - "$dir" "$n" "$MEASURE" <<'PY'
import json, sys
d, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
p99, mx, dropped = 0.0, 0.0, 0
for s in range(m):
    lines = open(f"{d}/status-{n}-{s}.txt").read().splitlines()
    for member in (json.loads(v) for v in lines[1::2]):
        if member["role"] == "Actor":
            p99 = max(p99, member.get("gap-p99-ms") or 0)
            mx = max(mx, member.get("gap-max-ms") or 0)
            dropped = max(dropped, member.get("segments-dropped", 0))
r0, r1, t0, t1 = map(float, open(f"{d}/ingest-{n}.txt").read().split())
rate = (r1 - r0) * 32 / (t1 - t0)
print(f"| {n} | {rate:.0f} | {50*n} | {p99:.1f} | {mx:.1f} | {dropped} |")
PY
  for p in "${actors[@]}" "$learner"; do kill "$p" 2>/dev/null || true; done
  wait "${actors[@]}" "$learner" 2>/dev/null || true
done

#!/usr/bin/env bash
# Process wall time against training wall time of `tempo train` on CartPole-v1 with rl-zoo's settings (to a last-20
# mean of 475, seed 1), for each tempo executable given, alternating between them so that load changes hit all alike.
# Prints every run and the medians. Usage: benchmarks/startup/startup.sh RUNS NAME=PATH/TO/tempo [NAME=PATH …]
set -euo pipefail
runs=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A process training
for ((i = 1; i <= runs; i++)); do
  for entry in "$@"; do
    name=${entry%%=*}; exe=${entry#*=}
    start=$(date +%s.%N)
    "$exe" train --config "$root/configs/ppo/cartpole-rlzoo.json" --target-return 475 --seed 1 --run-dir "$work/$name-$i" > "$work/$name-$i.log" 2>&1
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc)
    trained=$(grep -o 'steps in [0-9.]* s' "$work/$name-$i.log" | tail -1 | awk '{print $3}')
    process[$name]+="$wall "; training[$name]+="$trained "
    printf '%-8s run %d: process %.3f s, training %s s (load %s)\n' "$name" "$i" "$wall" "$trained" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
for entry in "$@"; do
  name=${entry%%=*}
  p=$(echo "${process[$name]}" | median); t=$(echo "${training[$name]}" | median)
  printf '%-8s median of %d: process %.3f s, training %.3f s, outside training %.3f s\n' "$name" "$runs" "$p" "$t" "$(echo "$p - $t" | bc)"
done

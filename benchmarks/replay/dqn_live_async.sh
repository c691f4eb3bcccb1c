#!/usr/bin/env bash
# Async DQN on LiveCartPole-v1 (configs/dqn/livecartpole-async.json: 2 actors × 8 worlds at 50 Hz, dqn.py's network with
# Double DQN at a held replay ratio): per seed, the env step and wall second at which the last-20 mean return of training first
# reached the target (default 475), the best last-20 mean otherwise, the action gap p50/p99/max over the run against
# the world's period (20 ms at 50 Hz), and ticks per step (return / length over the run's rows: 1.0 when the agents
# keep up with the clock; above 1 they miss ticks, and each step's reward sums the ticks it spanned).
#
# Usage: benchmarks/replay/dqn_live_async.sh [--seeds "1 2 3"] [--target 475] [--no-build | --published]
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
config="$repo/configs/dqn/livecartpole-async.json"
seeds="1 2 3"
target=475
mode=build
die() { echo "dqn_live_async.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --target) target=${2:?--target needs a return}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ "$target" =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || die "--target must be a number; got '$target'"
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done

source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg); period 20 ms (50 Hz)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in $seeds; do
    log="$work/tempo-$seed.log"
    "$tempo" train --config "$config" --seed "$seed" --target-return "$target" --run-dir "$work/run-$seed" >"$log" 2>&1 || die "tempo failed (seed $seed): $(tail -3 "$log")"
    # The last metrics row's gap percentiles cover the whole run; the best last-20 mean is the largest reported.
    read -r best p50 p99 max ticks < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { if ($col["episodic_return_mean"] != "" && $col["episodic_return_mean"] + 0 > best) best = $col["episodic_return_mean"] + 0
          if ($col["episodic_length_mean"] + 0 > 0) { returns += $col["episodic_return_mean"]; lengths += $col["episodic_length_mean"] }
          p50 = $col["action_gap_p50_ms"]; p99 = $col["action_gap_p99_ms"]; max = $col["action_gap_max_ms"] }
        END { printf "%.1f %.1f %.1f %.1f %.2f\n", best, p50, p99, max, (lengths > 0 ? returns / lengths : 0) }' "$work/run-$seed/metrics.csv")
    solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
    if [[ -n "$solved" ]]; then
        echo "seed $seed: solved_step ${solved% *} wall_s ${solved#* } gap_p50_ms $p50 gap_p99_ms $p99 gap_max_ms $max ticks_per_step $ticks load $(cut -d' ' -f1 /proc/loadavg)"
    else
        echo "seed $seed: not solved, best last-20 mean $best; gap_p50_ms $p50 gap_p99_ms $p99 gap_max_ms $max ticks_per_step $ticks load $(cut -d' ' -f1 /proc/loadavg); $(tail -1 "$log")"
    fi
done

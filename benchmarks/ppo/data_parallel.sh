#!/usr/bin/env bash
# Data-parallel PPO (--num-learners K) against one learner on two kernel threads, over the same global batch: CartPole-v1
# with CleanRL's settings (K × num-envs = 4) and rl-zoo's (K × num-envs = 8), K = 1 and 2 alternating per seed. Prints
# per run the env steps and wall seconds to a last-20 mean of 475 and the learner's updates per second at the end.
#
# Usage: benchmarks/ppo/data_parallel.sh [--seeds "1 2 3"] [--tempo PATH] [--no-build | --published]
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1 2 3"
tempo=""
mode=build
die() { echo "data_parallel.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --tempo) tempo=${2:?--tempo needs a path}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
if [[ -z "$tempo" ]]; then
    source "$repo/benchmarks/tempo-binary.sh"
    tempo=$(tempo_binary "$repo" "$mode") || exit 1
fi
[[ -x "$tempo" ]] || die "no tempo executable at '$tempo'"

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in $seeds; do
    for preset in cleanrl rlzoo; do
        envs=4; [[ $preset == rlzoo ]] && envs=8
        for k in 1 2; do
            log="$work/$preset-$k-$seed.log"
            "$tempo" train --config "$repo/configs/ppo/cartpole-$preset.json" --num-learners "$k" --num-envs $((envs / k)) --seed "$seed" \
                --target-return 475 --run-dir "$work/$preset-$k-$seed" >"$log" 2>&1 || die "tempo failed ($preset, K=$k, seed $seed): $(tail -3 "$log")"
            solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
            updates=$(tail -1 "$work/$preset-$k-$seed/metrics.csv" | awk -F, '{print $14}')
            printf '%-7s K=%d seed %s: solved_step %s wall_s %s updates/s %.1f (load %s)\n' "$preset" "$k" "$seed" "${solved% *}" "${solved#* }" "$updates" "$(cut -d' ' -f1 /proc/loadavg)"
        done
    done
done

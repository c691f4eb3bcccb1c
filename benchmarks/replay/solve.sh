#!/usr/bin/env bash
# Trains a preset for several seeds with `tempo train --target-return` and prints, per seed, the env step and wall-clock
# second at which the last-20 mean return first reached the target (or that it did not within the preset's budget).
# With --eval N it also plays N episodes with the trained policy's greedy actions (`tempo eval`, no ε) and prints their
# mean: rl-zoo scores its presets that way (on the final policy: leave out --target to train the whole budget).
#
# Usage: benchmarks/replay/solve.sh --config configs/dqn/catch-atari.json --target 0.9 [--seeds "1 2 3"] [--eval N] [--no-build | --published]
#        benchmarks/replay/solve.sh --config configs/dqn/cartpole-rlzoo.json --eval 20
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1 2 3"
config=""
target=""
episodes=0
mode=build
die() { echo "solve.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --config) config=${2:?--config needs a path}; shift 2 ;;
        --target) target=${2:?--target needs a return}; shift 2 ;;
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --eval) episodes=${2:?--eval needs a number of episodes}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ -f "$config" ]] || die "--config '$config' is not a file"
[[ -z "$target" || "$target" =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || die "--target must be a number; got '$target'"
[[ -n "$target" || "$episodes" != 0 ]] || die "give --target R, --eval N or both"
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ "$episodes" =~ ^[0-9]+$ ]] || die "--eval must be a number of episodes; got '$episodes'"

source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in $seeds; do
    log="$work/tempo-$seed.log"
    "$tempo" train --config "$config" --seed "$seed" ${target:+--target-return "$target"} --run-dir "$work/run-$seed" >"$log" 2>&1 || die "tempo failed (seed $seed): $(tail -3 "$log")"
    solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
    greedy=""
    if [[ $episodes -gt 0 ]]; then
        "$tempo" eval --checkpoint "$work/run-$seed" --episodes "$episodes" >"$work/eval-$seed.log" 2>&1 || die "tempo eval failed (seed $seed): $(tail -3 "$work/eval-$seed.log")"
        greedy="; greedy mean over $episodes episodes $(sed -n 's/^mean return over [0-9]* episodes: \([-0-9.]*\).*/\1/p' "$work/eval-$seed.log")"
    fi
    if [[ -n "$solved" ]]; then
        echo "seed $seed: solved_step ${solved% *} wall_s ${solved#* }$greedy"
    else
        echo "seed $seed: ${target:+not solved: }$(tail -1 "$log")$greedy"
    fi
done

#!/usr/bin/env bash
# PPO on CartPole-v1 beside its peers on this machine, in one run: for each seed, tempo with CleanRL's ppo.py settings
# (configs/ppo/cartpole-cleanrl.json) then CleanRL's ppo.py, and tempo with rl-zoo's tuned settings
# (configs/ppo/cartpole-rlzoo.json) then SB3 2.4.1 with the same, interleaved so machine-load drift hits both alike.
# The peers run through the peers' harness, side_by_side.sh (PyTorch CPU, 1 thread), which lives outside this
# repository: pass its path with --peer. Wall seconds to a last-20 mean of 475 are counted from the start of training
# on both sides; tempo's process wall time (start-up and JIT included) is printed beside it.
#
# Usage: benchmarks/ppo/side_by_side.sh --peer PATH/TO/side_by_side.sh [--seeds "1 2 3"] [--presets "cleanrl rlzoo"] [--tempo PATH] [--no-build | --published]
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1 2 3"
presets="cleanrl rlzoo"
peer=""
tempo=""
mode=build
die() { echo "side_by_side.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --presets) presets=${2:?--presets needs a value}; shift 2 ;;
        --peer) peer=${2:?--peer needs a path}; shift 2 ;;
        --tempo) tempo=${2:?--tempo needs a path}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ -f "$peer" ]] || die "--peer PATH/TO/side_by_side.sh is required (got '$peer')"
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
if [[ -z "$tempo" ]]; then
    source "$repo/benchmarks/tempo-binary.sh"
    tempo=$(tempo_binary "$repo" "$mode") || exit 1
fi
[[ -x "$tempo" ]] || die "no tempo executable at '$tempo'"

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in $seeds; do
    for preset in $presets; do
        case "$preset" in
            cleanrl) config=cartpole-cleanrl.json; budget=500000; peer_cmd=(cleanrl-ppo "$seed") ;;
            rlzoo) config=cartpole-rlzoo.json; budget=100000; peer_cmd=(sb3-ppo-zoo "$seed") ;;
            *) die "unknown preset '$preset' (known: cleanrl, rlzoo)" ;;
        esac
        log="$work/$preset-$seed.log"
        start=$(date +%s.%N)
        "$tempo" train --config "$repo/configs/ppo/$config" --total-timesteps "$budget" --seed "$seed" --target-return 475 --run-dir "$work/$preset-$seed" >"$log" 2>&1 || die "tempo failed ($preset, seed $seed): $(tail -3 "$log")"
        process=$(echo "$(date +%s.%N) - $start" | bc)
        solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
        printf 'tempo %-7s seed %s: solved_step %s wall_s %s process_s %.2f (load %s)\n' "$preset" "$seed" "${solved% *}" "${solved#* }" "$process" "$(cut -d' ' -f1 /proc/loadavg)"
        result=$(bash "$peer" "${peer_cmd[@]}") || die "the peer failed (${peer_cmd[*]}); see its output above"
        echo "peer  $preset seed $seed: $result (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done

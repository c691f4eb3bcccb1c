#!/usr/bin/env bash
# SAC on Pendulum-v1 with CleanRL's sac_continuous_action.py defaults (configs/sac/pendulum-cleanrl.json), side by side
# with CleanRL's script run by /work/shared/peers/bench/side_by_side.sh (PyTorch CPU, 1 thread), interleaved per seed
# so machine-load drift hits both alike: wall-clock and env steps to a last-20 mean return of -200, overall steps/s,
# and one gradient step's time (critic step + the actor/α steps of policy-frequency 2 averaged per env step, targets).
#
# Usage: benchmarks/replay/sac_pendulum.sh --peer PATH/TO/side_by_side.sh [--seeds "1"] [--steps 20000] [--no-build | --published]
# --steps caps both runs (CleanRL's default is 1M steps; both first reach -200 near 10k).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1"
peer=""
steps=20000
mode=build
die() { echo "sac_pendulum.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --peer) peer=${2:?--peer needs a path}; shift 2 ;;
        --steps) steps=${2:?--steps needs a number}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ "$steps" =~ ^[0-9]+$ ]] || die "--steps must be a number of env steps; got '$steps'"
[[ -n "$peer" ]] || die "--peer PATH/TO/side_by_side.sh is required (the peers' harness lives outside this repository)"
[[ -f "$peer" ]] || die "--peer $peer does not exist"

source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1
peers_src="${PEERS_WORK:-${TMPDIR:-/tmp}/tempo-peers}/src"
[[ -f "$peers_src/cleanrl/cleanrl/sac_continuous_action.py" ]] || die "CleanRL sources missing under $peers_src; run: bash $peer install"

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-12s %4s %12s %10s %9s %12s %s\n' who seed solved_step wall_s steps/s grad_step_ms load
for seed in $seeds; do
    log="$work/tempo-$seed.log"
    "$tempo" train --config "$repo/configs/sac/pendulum-cleanrl.json" --seed "$seed" --total-timesteps "$steps" \
        --target-return -200 --run-dir "$work/run-$seed" >"$log" 2>&1 || die "tempo failed (seed $seed): $(tail -3 "$log")"
    solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
    # The last line says "N steps in S s" whether the run stopped at the target or ran its budget.
    sps=$(tail -1 "$log" | sed -n 's/.* \([0-9]*\) steps in \([0-9.]*\) s.*/\1 \2/p' | awk '{ printf "%.0f", $1 / $2 }')
    grad="BDN"  # one gradient step: SacGradientStepBenchmarks (BenchmarkDotNet), too long to run per seed
    printf '%-12s %4s %12s %10s %9s %12s %s\n' "tempo sac" "$seed" "${solved% *}" "${solved#* }" "$sps" "${grad:--}" "$(cut -d' ' -f1 /proc/loadavg)"
    json=$(bash "$peer" cleanrl-sac "$seed" --threshold -200 --env-id Pendulum-v1 --total-timesteps "$steps")
    step_ms=$(PYTHONPATH="$peers_src/gymnasium:$peers_src/farama_notif:$peers_src/cleanrl:$(dirname "$peer")/stubs" OMP_NUM_THREADS=1 \
        /usr/bin/python3 "$script_dir/cleanrl_sac_step.py" "$peers_src/cleanrl/cleanrl/sac_continuous_action.py")
    /usr/bin/python3 -c "import json,sys; d=json.loads(sys.argv[1]); print('%-12s %4s %12s %10.1f %9.0f %12s %s' % ('cleanrl sac', sys.argv[2], d['solved_step'], d['solved_wall_s'] or float('nan'), d['sps_overall'] or 0, sys.argv[3], sys.argv[4]))" \
        "$json" "$seed" "$step_ms" "$(cut -d' ' -f1 /proc/loadavg)"
done

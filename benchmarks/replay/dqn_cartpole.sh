#!/usr/bin/env bash
# DQN on CartPole-v1 with CleanRL's dqn.py defaults (configs/dqn/cartpole-cleanrl.json): wall-clock and env steps to a
# last-20 mean return of 475, per seed, optionally interleaved per seed with CleanRL's dqn.py run by
# /work/shared/peers/bench/side_by_side.sh (PyTorch CPU, 1 thread) so machine-load drift hits both alike.
#
# Usage: benchmarks/replay/dqn_cartpole.sh [--seeds "1 2 3"] [--peer PATH/TO/side_by_side.sh] [--no-build] [--published]
# --published times the published form (`dotnet publish -r <this machine's RID>`: ReadyToRun, as users install it).
# Prints one line per run: who, seed, solved step, wall seconds to 475 (from the start of training); with --peer, also
# one gradient step of CleanRL's dqn.py and of SB3's DQN (benchmarks/replay/peer_dqn_step.py; SB3 needs python3-matplotlib).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
seeds="1 2 3"
peer=""
mode=build
die() { echo "dqn_cartpole.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --peer) peer=${2:?--peer needs a path}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ -z "$peer" || -f "$peer" ]] || die "--peer $peer does not exist"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p')"
for seed in $seeds; do
    log="$work/tempo-$seed.log"
    "$tempo" train --config "$repo/configs/dqn/cartpole-cleanrl.json" --seed "$seed" --target-return 475 --run-dir "$work/run-$seed" >"$log" 2>&1 || die "tempo failed (seed $seed): $(tail -3 "$log")"
    solved=$(sed -n 's/^solved: step=\([0-9]*\) wall_s=\([0-9.]*\).*/\1 \2/p' "$log")
    sps=$(sed -n 's/.* \([0-9]*\) steps in \([0-9.]*\) s;.*/\1 \2/p' "$log" | awk '{ printf "%.0f", $1 / $2 }')
    echo "tempo dqn   seed $seed: solved_step ${solved% *} wall_s ${solved#* } (${sps} steps/s overall)"
    if [[ -n "$peer" ]]; then
        echo "cleanrl dqn seed $seed: $(bash "$peer" cleanrl-dqn "$seed")"
    fi
done
if [[ -n "$peer" ]]; then
    # One gradient step of each peer (1 thread), to set beside DqnGradientStepBenchmarks.GradientStep (BenchmarkDotNet).
    peers_src="${PEERS_WORK:-${TMPDIR:-/tmp}/tempo-peers}/src"
    [[ -f "$peers_src/cleanrl/cleanrl/dqn.py" ]] || die "CleanRL sources missing under $peers_src; run: bash $peer install"
    export PYTHONPATH="$peers_src/gymnasium:$peers_src/farama_notif:$peers_src/cleanrl:$peers_src/sb3:$(dirname "$peer")/stubs" OMP_NUM_THREADS=1
    echo "cleanrl dqn gradient step: $(/usr/bin/python3 "$script_dir/peer_dqn_step.py" cleanrl "$peers_src/cleanrl/cleanrl/dqn.py") us (load $(cut -d' ' -f1 /proc/loadavg))"
    echo "sb3 dqn gradient step:     $(/usr/bin/python3 "$script_dir/peer_dqn_step.py" sb3) us (load $(cut -d' ' -f1 /proc/loadavg))"
fi

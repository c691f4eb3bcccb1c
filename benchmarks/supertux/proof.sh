#!/usr/bin/env bash
# SuperTux proof (issue #12): async DQN on a generated level with two pits, <= 30 min of wall-clock training; then the
# greedy policy and random actions, 10 episodes each, on the same env, and a GIF of a trained episode; then sync PPO
# without and with the game's pause for the side-by-side table.
#
# Settings: configs/dqn/supertux-async.json (every one an option a user has too): game speed 3 (the level's init
# script), a 60-tile level (the finish at x = 1664, behind pits at x = 768-864 and 1408-1504), death reward -1 and no
# repeat-death penalty, stagnation after 2 s, the default 64x64 gray x4 + features observation (the multi-input
# Q-network: a Nature CNN over the frames, a tanh MLP over the features), frame skip 4 at 60 ticks/s, 3 game instances
# under Xvfb (3 actors x 1 env) feeding one learner; Double DQN with 3-step returns, a held replay ratio of 0.25
# gradient steps (batch 64) per inserted step, Adam 1e-4, Huber loss, target copied every 1000 steps, epsilon from 1
# to 0.05 over the first 30 % of a 100k budget. (Async APPO with the same env options finished 1 of 10 greedy episodes
# after 30 min; see results.md.)
#
# Usage: benchmarks/supertux/proof.sh [train-seconds (1800)] [sync-seconds (150)] [seed (1)]
# Needs xvfb and supertux (scripts/install-test-deps.sh). Outputs go to benchmarks/supertux/out/.
set -uo pipefail
cd "$(dirname "$0")/../.."
train_seconds="${1:-1800}"
sync_seconds="${2:-150}"
seed="${3:-1}"
out=benchmarks/supertux/out
mkdir -p "$out"
echo "CPU: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)" | tee "$out/machine.txt"
dotnet build src/Tempo.Cli -c Release -v q -nologo >/dev/null
# An array, not a function: timeout runs programs only.
tempo=(dotnet src/Tempo.Cli/bin/Release/net10.0/tempo.dll)
# The env options of configs/dqn/supertux-async.json, for the random baseline and the sync runs.
options='"game-speed": 3, "level-width-tiles": 60, "death-reward": -1, "repeat-death-reward": 0, "stagnation-seconds": 2'
echo "{ \"env\": \"SuperTux-v0\", \"env-options\": { $options } }" > "$out/config.json"

# 1. Async training. The wall-clock cap (SIGINT, as Ctrl-C) ends it if the step budget does not; checkpoints are
#    frequent, so the interrupted run keeps a recent one.
rm -rf "$out/train"
# --foreground: the signal goes to tempo alone, which stops its games itself.
timeout --foreground --signal=INT "$train_seconds" "${tempo[@]}" train --config configs/dqn/supertux-async.json \
  --run-dir "$out/train" --plain --seed "$seed" > "$out/train.log" 2>&1
echo "training ended (exit $?)"; tail -3 "$out/train.log"
"${tempo[@]}" plot "$out/train" -o "$out/curves.png"
# x reached over wall time, for the README's curve (columns by name: metrics.csv gains columns over time).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print "wall_time_s,global_step,episodes,episodic_x_reached_mean,episodic_return_mean"; next }
  $c["episodic_x_reached_mean"] != "" { printf "%.1f,%s,%s,%s,%s\n", $c["wall_time_s"], $c["global_step"], $c["episodes"], $c["episodic_x_reached_mean"], $c["episodic_return_mean"] }' \
  "$out/train/metrics.csv" > "$out/x-reached.csv"

# 2. Greedy policy and random actions on the same env, 10 episodes each; a GIF of the first greedy episode.
"${tempo[@]}" eval --checkpoint "$out/train" --episodes 10 --video "$out/episode.gif" > "$out/eval-greedy.txt" 2>&1
"${tempo[@]}" run --config "$out/config.json" --episodes 10 --seed 1000 > "$out/eval-random.txt" 2>&1
cat "$out/eval-greedy.txt" "$out/eval-random.txt"

# 3. Sync PPO without and with the game's pause, same budget of wall time, one game each (one env per actor: a sibling's
#    relaunch would stall this game's actions too and blur the comparison). Without pausing, the game's own idle pause
#    (a safety) is off too, so the game runs on through every update as the seed user's did. 512-step rollouts and 10
#    epochs (SB3's PPO epochs, the seed user's library) make each update last seconds, as the seed user's did.
for mode in nopause pause; do
  # The sync schedule pauses by default: the run without pausing must say --pause false.
  flag=(--pause true); idle=1
  [ "$mode" = nopause ] && flag=(--pause false) && idle=0
  echo "{ \"env\": \"SuperTux-v0\", \"env-options\": { $options, \"idle-pause-seconds\": $idle } }" > "$out/config-$mode.json"
  rm -rf "$out/sync-$mode"
  timeout --foreground --signal=INT "$sync_seconds" "${tempo[@]}" train --config "$out/config-$mode.json" --algo ppo --schedule sync "${flag[@]}" \
    --num-envs 1 --num-steps 512 --num-minibatches 4 --update-epochs 10 --hidden-sizes 256 --total-timesteps 1000000 \
    --checkpoint-every 100 --run-dir "$out/sync-$mode" --plain --seed 1 > "$out/sync-$mode.log" 2>&1
done
{
  echo "| schedule | steps | episodes | return mean | x reached mean | gap p50 ms | gap p99 ms | gap max ms | late ticks |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for mode in nopause pause; do
    # Columns by name: metrics.csv gains columns over time.
    awk -F, -v m="sync PPO $mode" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { last = $0 }
      END { split(last, v, ","); printf "| %s | %s | %s | %.1f | %.0f | %.1f | %.1f | %.1f | %s |\n", m, v[c["global_step"]], v[c["episodes"]],
        v[c["episodic_return_mean"]], v[c["episodic_x_reached_mean"]], v[c["action_gap_p50_ms"]], v[c["action_gap_p99_ms"]],
        v[c["action_gap_max_ms"]], v[c["deadline_overruns"]] }' "$out/sync-$mode/metrics.csv"
  done
} | tee "$out/sync-table.md"

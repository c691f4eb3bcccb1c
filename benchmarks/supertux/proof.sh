#!/usr/bin/env bash
# SuperTux proof (issue #12): async APPO on a generated level with two pits, <= 30 min of wall-clock training; then the
# greedy policy and random actions, 10 episodes each, on the same env, and a GIF of a trained episode; then sync PPO
# without and with the game's pause for the side-by-side table.
#
# Settings (all of them options a user has too): game speed 3 (the level's init script), a 60-tile level (the finish at
# x = 1664, behind pits at x = 768-864 and 1408-1504), death reward -1 and no repeat-death penalty (with the default -5
# and -2 a first run learned to stop before the first pit), stagnation after 2 s, the default 64x64 gray x4 + features observation, frame skip 4 at
# 60 ticks/s, 3 game instances under Xvfb (3 actors x 1 env) feeding one learner, APPO with 64-step segments, 4 segments
# per update in 2 minibatches, 2 epochs, learning rate 3e-4, entropy 0.02, a 256-wide CNN layer. (With one segment per
# update and learning rate 5e-4 the entropy collapsed from 2.2 to 0.3 within 20k steps and progress fell back.)
#
# Usage: benchmarks/supertux/proof.sh [train-seconds (1800)] [sync-seconds (150)]
# Needs xvfb and supertux (scripts/install-test-deps.sh). Outputs go to benchmarks/supertux/out/.
set -uo pipefail
cd "$(dirname "$0")/../.."
train_seconds="${1:-1800}"
sync_seconds="${2:-150}"
out=benchmarks/supertux/out
mkdir -p "$out"
echo "CPU: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)" | tee "$out/machine.txt"
dotnet build src/Tempo.Cli -c Release -v q -nologo >/dev/null
# An array, not a function: timeout runs programs only.
tempo=(dotnet src/Tempo.Cli/bin/Release/net10.0/tempo.dll)
options='"game-speed": 3, "level-width-tiles": 60, "death-reward": -1, "repeat-death-reward": 0, "stagnation-seconds": 2'
echo "{ \"env\": \"SuperTux-v0\", \"env-options\": { $options } }" > "$out/config.json"

# 1. Async training. The step budget is far beyond what 30 min allows; the wall-clock cap (SIGINT, as Ctrl-C) ends it,
#    and --checkpoint-every keeps a recent checkpoint.
rm -rf "$out/appo"
# --foreground: the signal goes to tempo alone, which stops its games itself.
timeout --foreground --signal=INT "$train_seconds" "${tempo[@]}" train --config "$out/config.json" --algo appo --schedule async \
  --num-actors 3 --num-envs 1 --num-steps 64 --segments-per-update 4 --num-minibatches 2 --update-epochs 2 --learning-rate 3e-4 --ent-coef 0.02 \
  --hidden-sizes 256 --total-timesteps 1000000 --checkpoint-every 5 --run-dir "$out/appo" --plain --seed 1 > "$out/appo.log" 2>&1
echo "training ended (exit $?)"; tail -3 "$out/appo.log"
"${tempo[@]}" plot "$out/appo" -o "$out/curves.png"

# 2. Greedy policy and random actions on the same env, 10 episodes each; a GIF of the first greedy episode.
"${tempo[@]}" eval --checkpoint "$out/appo" --episodes 10 --video "$out/episode.gif" > "$out/eval-greedy.txt" 2>&1
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

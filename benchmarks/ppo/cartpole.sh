#!/usr/bin/env bash
# CartPole-v1 PPO wall-clock-to-solve benchmark against the peer figures in benchmarks/peers/RESULTS.md.
#
# Builds tempo once in Release, then runs the built binary (so build time and `dotnet run` are not timed)
# for each preset, seed and repeat with --target-return 475, and reports per run and per preset:
# solved within the step budget, env steps and wall seconds at the solved line, SPS, and the ratio to the
# peer's median wall-clock-to-475. Writes the same figures as Markdown to benchmarks/ppo/results-cartpole.md.
#
# Usage: benchmarks/ppo/cartpole.sh [--seeds "1 2 3 4 5"] [--repeats 2] [--presets "cleanrl rlzoo"]
#                                   [--out FILE] [--no-build] [--published]
# --published times the published form instead (`dotnet publish -r <this machine's RID>`: ReadyToRun, as users install
# it), so start-up code is precompiled rather than JIT-compiled inside the timed run.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)

seeds="1 2 3 4 5"
repeats=2
presets="cleanrl rlzoo"
out="$script_dir/results-cartpole.md"
mode=build
target=475

die() { echo "cartpole.sh: error: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --repeats) repeats=${2:?--repeats needs a value}; shift 2 ;;
        --presets) presets=${2:?--presets needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive integer; got '$repeats'"
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ -n "${seeds// /}" ]] || die "--seeds is empty"

# Preset table: config file, step budget, peer label, peer median wall s to 475, speed goal (×), peer median
# env steps at 475. Peer figures: benchmarks/peers/RESULTS.md, 1 thread (the fair peer for small MLPs).
preset_config() { case "$1" in cleanrl) echo "$repo/configs/ppo/cartpole-cleanrl.json" ;; rlzoo) echo "$repo/configs/ppo/cartpole-rlzoo.json" ;; *) die "unknown preset '$1' (known: cleanrl, rlzoo)" ;; esac; }
preset_budget() { case "$1" in cleanrl) echo 300000 ;; rlzoo) echo 100000 ;; esac; }
peer_label() { case "$1" in cleanrl) echo "CleanRL ppo.py" ;; rlzoo) echo "SB3 2.4.1 (rl-zoo)" ;; esac; }
peer_wall() { case "$1" in cleanrl) echo 29.6 ;; rlzoo) echo 6.4 ;; esac; }
peer_goal() { case "$1" in cleanrl) echo 30 ;; rlzoo) echo 15 ;; esac; }
peer_steps() { case "$1" in cleanrl) echo 187700 ;; rlzoo) echo 36336 ;; esac; }
for p in $presets; do
    case "$p" in cleanrl|rlzoo) ;; *) die "unknown preset '$p' (known: cleanrl, rlzoo)" ;; esac
    [[ -f "$(preset_config "$p")" ]] || die "preset file $(preset_config "$p") is missing"
done

# min / median / max of the numbers on stdin (one per line); "-" when there are none.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- / - / -"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s / **%s** / %s\n", fmt(v[1]), fmt(m), fmt(v[NR]) }
        function fmt(x) { return (x >= 100) ? sprintf("%.0f", x) : sprintf("%.2f", x) }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

command -v dotnet >/dev/null || die "dotnet is not on PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/tempo-cartpole-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")
started=$(date -u +"%Y-%m-%d %H:%M UTC")
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "unknown")
git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src has uncommitted changes)"
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || echo "unknown")
echo "tempo: $tempo"
echo "load average at start (1/5/15 min): $load_start on $(nproc) cores"

rows="$work/rows.tsv"   # preset seed repeat solved_in_budget solved step wall sps process_s cpu_s
: > "$rows"
printf '\n%-8s %4s %6s %6s %8s %8s %8s %9s %7s\n' preset seed repeat solved steps wall_s sps process_s cpu_s
for preset in $presets; do
    config=$(preset_config "$preset")
    budget=$(preset_budget "$preset")
    for seed in $seeds; do
        for repeat in $(seq 1 "$repeats"); do
            run="$work/$preset-$seed-$repeat"
            # Bash's time keyword gives the process's wall and CPU seconds (user + sys) without external tools.
            if ! { TIMEFORMAT='%R %U %S'; time "$tempo" train --config "$config" --seed "$seed" --target-return "$target" \
                    --run-dir "$run" --plain >"$run.log" 2>&1; } 2>"$run.time"; then
                tail -n 20 "$run.log" >&2
                die "tempo train failed for preset $preset seed $seed repeat $repeat (log above)"
            fi
            read -r process_s user_s sys_s <"$run.time"
            cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.2f", u + s }')
            solved_line=$(grep -m1 '^solved: ' "$run.log" || true)
            if [[ -n "$solved_line" ]]; then
                step=$(sed -E 's/.*step=([0-9]+).*/\1/' <<<"$solved_line")
                wall=$(sed -E 's/.*wall_s=([0-9.]+).*/\1/' <<<"$solved_line")
                solved=yes
            else
                # Not solved: SPS from the final "not solved (…): N steps in X s" line.
                trained_line=$(grep -m1 '^not solved ' "$run.log" || die "no 'not solved' line in the log of $preset seed $seed")
                step=$(sed -E 's/^not solved [^:]*: ([0-9]+) steps in ([0-9.]+) s.*/\1/' <<<"$trained_line")
                wall=$(sed -E 's/^not solved [^:]*: ([0-9]+) steps in ([0-9.]+) s.*/\2/' <<<"$trained_line")
                solved=no
            fi
            in_budget=no
            [[ $solved == yes && $step -le $budget ]] && in_budget=yes
            sps=$(awk -v n="$step" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
            label=$in_budget
            [[ $solved == yes && $in_budget == no ]] && label="late"
            printf '%-8s %4s %6s %6s %8s %8s %8s %9s %7s\n' "$preset" "$seed" "$repeat" "$label" "$step" "$wall" "$sps" "$process_s" "$cpu_s"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$preset" "$seed" "$repeat" "$in_budget" "$solved" "$step" "$wall" "$sps" "$process_s" "$cpu_s" >>"$rows"
            rm -rf "$run"
        done
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")
echo
echo "load average at end (1/5/15 min): $load_end"

seed_count=$(wc -w <<<"$seeds")
summary="$work/summary.md"
: > "$summary"
verdicts="$work/verdicts.md"
: > "$verdicts"
for preset in $presets; do
    budget=$(preset_budget "$preset")
    col() { awk -F'\t' -v p="$preset" -v c="$1" -v only="$2" '$1 == p && (only == "" || $4 == "yes") { print $c }' "$rows"; }
    wall_stats=$(col 7 yes | stats)
    sps_stats=$(col 8 "" | stats)
    step_stats=$(col 6 yes | stats)
    cpu_stats=$(col 10 yes | stats)
    wall_median=$(col 7 yes | median)
    cpu_median=$(col 10 yes | median)
    step_median=$(col 6 yes | median)
    solved_seeds=0
    for seed in $seeds; do
        all=$(awk -F'\t' -v p="$preset" -v s="$seed" '$1 == p && $2 == s && $4 != "yes" { bad = 1 } END { print bad ? 0 : 1 }' "$rows")
        solved_seeds=$((solved_seeds + all))
    done
    identical=$(awk -F'\t' -v p="$preset" '$1 == p && $5 == "yes" { if (($2 in s) && s[$2] != $6) diff = 1; s[$2] = $6 } END { print diff ? "no" : "yes" }' "$rows")
    peer=$(peer_wall "$preset")
    goal=$(peer_goal "$preset")
    if [[ -n "$wall_median" ]]; then
        ratio=$(awk -v p="$peer" -v w="$wall_median" 'BEGIN { printf "%.1f", p / w }')
        speed_met=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
    else
        ratio="-"; speed_met="NOT met (nothing solved)"
    fi
    # The peer ran on one thread, so its wall time is close to its CPU time. Our CPU seconds count both training
    # threads and the process's start-up, so the CPU ratio is a floor on the speed-up, not an estimate of it.
    cpu_ratio=$([[ -n "$cpu_median" ]] && awk -v p="$peer" -v c="$cpu_median" 'BEGIN { printf "%.1f", p / c }' || echo "-")
    seeds_met=$(awk -v k="$solved_seeds" -v n="$seed_count" 'BEGIN { print (k >= 0.8 * n) ? "met" : "NOT met" }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %d/%d | %s |\n' "$preset" "$budget" "$step_stats" "$wall_stats" "$sps_stats" "$cpu_stats" \
        "$(peer_label "$preset") $peer s" "$solved_seeds" "$seed_count" "$identical" >>"$summary"
    {
        echo "- **$preset**: median wall to $target is ${ratio}× faster than $(peer_label "$preset")'s median $peer s (goal ≥ ${goal}×: $speed_met);" \
            "$solved_seeds/$seed_count seeds solved every repeat within $budget steps (goal ≥ 80 %: $seeds_met)." \
            "By process CPU seconds (median $(printf '%.2f' "${cpu_median:-0}") s: both training threads and start-up, so a floor) the ratio is ${cpu_ratio}×."
        if [[ $preset == rlzoo ]]; then
            steps_met=$(awk -v m="${step_median:-inf}" -v p="$(peer_steps rlzoo)" 'BEGIN { print (m != "inf" && m <= p) ? "met" : "NOT met" }')
            echo "  Median env steps at $target: ${step_median:--} vs SB3's $(peer_steps rlzoo) (goal: no more than SB3: $steps_met)."
        fi
    } >>"$verdicts"
done

{
    echo "# PPO on CartPole-v1: wall-clock to a last-20 mean return of $target"
    echo
    echo "Generated by \`benchmarks/ppo/cartpole.sh\` on $started, commit $commit."
    echo "Machine: $(nproc) cores ($cpu); load average (1/5/15 min) $load_start at start, $load_end at end."
    echo "Peers (benchmarks/peers/RESULTS.md, 1 thread, quiet machine): CleanRL ppo.py median 29.6 s to 475 at ~188k steps;"
    echo "SB3 2.4.1 with rl-zoo settings median 6.4 s at ~36k steps. A loaded machine inflates wall seconds and"
    echo "deflates SPS. CPU seconds are user + sys of the whole tempo process: start-up and both training threads (the"
    echo "actor and critic passes of an update run at once) included, so they exceed the wall time on a quiet machine."
    echo
    echo "## Summary"
    echo
    echo "Cells are min / **median** / max over runs; steps, wall and CPU over runs solved within the budget, SPS over all runs."
    echo "A seed counts as solved when every repeat of it solved within the budget. 'Repeats identical' says whether"
    echo "repeats of a seed solved at the same env step (training is deterministic per seed)."
    echo
    echo "| preset | step budget | env steps at $target | wall s to $target | SPS (steps / wall) | process CPU s | peer median | seeds solved | repeats identical |"
    echo "|---|---|---|---|---|---|---|---|---|"
    cat "$summary"
    echo
    cat "$verdicts"
    echo
    echo "## Runs"
    echo
    echo "'solved' is yes when the solved line came within the step budget, 'late' when it came after it."
    echo "Steps and wall seconds are read from tempo's \`solved: step=… wall_s=…\` line (wall clock from the start of"
    echo "training, JIT warm-up included); for unsolved runs, from the final \`not solved (…): … steps in … s\` line."
    echo "'process s' is the whole process's wall time, .NET start-up included."
    echo
    echo "| preset | seed | repeat | solved | env steps | wall s | SPS | process s | CPU s |"
    echo "|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' '{ label = $4; if ($5 == "yes" && $4 == "no") label = "late"; printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, label, $6, $7, $8, $9, $10 }' "$rows"
    echo
    echo "Presets: \`configs/ppo/cartpole-cleanrl.json\` (CleanRL ppo.py defaults; the learning-rate schedule spans its"
    echo "500k total steps as in the peer's runs, and the 300k budget is judged from the solved step) and"
    echo "\`configs/ppo/cartpole-rlzoo.json\` (rl-zoo's tuned settings as SB3 runs them; see configs/ppo/README.md)."
} >"$out"

echo
echo "| preset | step budget | env steps at $target | wall s to $target | SPS (steps / wall) | process CPU s | peer median | seeds solved | repeats identical |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$summary"
echo
cat "$verdicts"
echo
echo "results written to $out"

#!/usr/bin/env bash
# Learning-quality check of tempo's PPO with CleanRL's default settings, MLP and CNN recipes.
#
# Builds tempo once in Release, trains each env for its full step budget per seed (Acrobot-v1: ppo.py
# defaults, 500k steps, target last-20 mean >= -100; Pendulum-v1: ppo_continuous_action.py defaults, 1M
# steps, target >= -400; Catch-v0, 84x84 byte frames through the Nature CNN: ppo_atari.py defaults, 100k
# steps, target >= 0.9), and reports from each run's metrics.csv the last-20 mean return over time, the
# first step and wall second at which it reached the target, and the final and best means.
# Writes the same figures as Markdown to benchmarks/ppo/results-learning.md.
#
# Usage: benchmarks/ppo/learning.sh [--seeds "1 2 3"] [--envs "acrobot pendulum catch"] [--out FILE] [--no-build | --published]
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)

seeds="1 2 3"
envs="acrobot pendulum catch"
out="$script_dir/results-learning.md"
mode=build
checkpoints=10   # rows of the over-time table: every budget / checkpoints steps

die() { echo "learning.sh: error: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds=${2:?--seeds needs a value}; shift 2 ;;
        --envs) envs=${2:?--envs needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --no-build) mode=no-build; shift ;;
        --published) mode=published; shift ;;
        -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be non-negative integers; got '$s'"; done
[[ -n "${seeds// /}" ]] || die "--seeds is empty"

# Per env: preset file, env id, target last-20 mean, step budget (the preset's total-timesteps), and the
# published reference figure to print beside ours.
env_config() {
    case "$1" in
        acrobot) echo "$repo/configs/ppo/acrobot-cleanrl.json" ;;
        pendulum) echo "$repo/configs/ppo/pendulum-cleanrl.json" ;;
        catch) echo "$repo/configs/ppo/catch-atari.json" ;;
    esac
}
env_id() { case "$1" in acrobot) echo "Acrobot-v1" ;; pendulum) echo "Pendulum-v1" ;; catch) echo "Catch-v0" ;; esac; }
env_target() { case "$1" in acrobot) echo -100 ;; pendulum) echo -400 ;; catch) echo 0.9 ;; esac; }
env_budget() { case "$1" in acrobot) echo 500000 ;; pendulum) echo 1000000 ;; catch) echo 100000 ;; esac; }
env_reference() {
    case "$1" in
        acrobot) echo "CleanRL's docs tabulate ppo.py's average episodic return on Acrobot-v1 (500k steps) as -86.36 ± 1.32 (an earlier revision of the page: -82.48 ± 5.93), and openai/baselines' PPO as -81.82 ± 5.58." ;;
        pendulum) echo "CleanRL's docs publish no Pendulum-v1 figure for ppo_continuous_action.py (only MuJoCo and dm_control tables; I could not find one). For context only: SB3's rl-zoo PPO model card (sb3/ppo-Pendulum-v1, different tuned settings with gSDE) reports a deterministic evaluation return of -230 ± 143." ;;
        catch) echo "There is no published figure for CleanRL's ppo_atari.py on Catch (bsuite scores its Catch by regret, not return, and observes a 10x5 board, not frames). For scale: a uniformly random policy averages -0.6 (it catches one ball in five), a perfect one 1.0. One channel, no frame stack: a Catch frame shows the whole state." ;;
    esac
}
for e in $envs; do
    case "$e" in acrobot|pendulum|catch) ;; *) die "unknown env '$e' (known: acrobot, pendulum, catch)" ;; esac
    [[ -f "$(env_config "$e")" ]] || die "preset file $(env_config "$e") is missing"
done

command -v dotnet >/dev/null || die "dotnet is not on PATH"
source "$repo/benchmarks/tempo-binary.sh"
tempo=$(tempo_binary "$repo" "$mode") || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/tempo-learning-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")
started=$(date -u +"%Y-%m-%d %H:%M UTC")
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "unknown")
git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src has uncommitted changes)"
echo "tempo: $tempo"
echo "load average at start (1/5/15 min): $load_start on $(nproc) cores"

# Reads metrics.csv (columns found by name) and prints one line:
# reached step_at_target wall_at_target final_mean best_mean final_step final_wall
summarize() {
    awk -F, -v target="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
                  if (!("global_step" in col) || !("wall_time_s" in col) || !("episodic_return_mean" in col)) { print "bad-header"; exit 1 }
                  next }
        $col["episodic_return_mean"] == "" { next }
        { step = $col["global_step"]; wall = $col["wall_time_s"]; mean = $col["episodic_return_mean"] + 0
          if (!seen || mean > best) best = mean; seen = 1; final = mean
          if (!hit && mean >= target) { hit = 1; hit_step = step; hit_wall = wall } }
        END { if (!seen) { print "no-episodes"; exit 1 }
              printf "%s %s %s %.2f %.2f %s %.2f\n", hit ? "yes" : "no", hit ? hit_step : "-", hit ? sprintf("%.2f", hit_wall) : "-", final, best, step, wall }' "$1"
}

# Prints the last-20 mean at every budget / checkpoints steps (the last report at or before each mark).
over_time() {
    awk -F, -v budget="$2" -v n="$checkpoints" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["episodic_return_mean"] == "" { next }
        { step = $col["global_step"] + 0; mean = $col["episodic_return_mean"]
          for (k = 1; k <= n; k++) if (step <= budget * k / n) value[k] = mean
          last = mean }
        END { for (k = 1; k <= n; k++) printf "%d %s\n", budget * k / n, (k in value) ? sprintf("%.1f", value[k]) : "-" }' "$1"
}

report="$work/report.md"
: > "$report"
titles=""
for e in $envs; do
    titles="${titles:+$titles, }$(env_id "$e")"
done
for e in $envs; do
    config=$(env_config "$e"); id=$(env_id "$e"); target=$(env_target "$e"); budget=$(env_budget "$e")
    echo
    echo "== $id: target last-20 mean >= $target within $budget steps =="
    summary_rows="$work/$e-summary.md"; : > "$summary_rows"
    reached=0
    for seed in $seeds; do
        run="$work/$e-$seed"
        if ! { TIMEFORMAT='%R %U %S'; time "$tempo" train --config "$config" --seed "$seed" --total-timesteps "$budget" \
                --run-dir "$run" --plain >"$run.log" 2>&1; } 2>"$run.time"; then
            tail -n 20 "$run.log" >&2
            die "tempo train failed for $id seed $seed (log above)"
        fi
        [[ -f "$run/metrics.csv" ]] || die "$id seed $seed wrote no metrics.csv"
        read -r process_s user_s sys_s <"$run.time"
        cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.1f", u + s }')
        line=$(summarize "$run/metrics.csv" "$target") || die "could not read $id seed $seed's metrics.csv: $line"
        read -r hit hit_step hit_wall final best final_step final_wall <<<"$line"
        [[ $hit == yes ]] && reached=$((reached + 1))
        sps=$(awk -v n="$final_step" -v w="$final_wall" 'BEGIN { printf "%.0f", n / w }')
        over_time "$run/metrics.csv" "$budget" | awk -v s="$seed" '{ print s, $0 }' >>"$work/$e-over-time.txt"
        printf 'seed %s: reached %s (step %s, %s s); final last-20 mean %s, best %s; %s steps in %s s (%s SPS), CPU %s s\n' \
            "$seed" "$hit" "$hit_step" "$hit_wall" "$final" "$best" "$final_step" "$final_wall" "$sps" "$cpu_s"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$seed" "$hit" "$hit_step" "$hit_wall" "$final" "$best" "$final_wall" "$sps" "$cpu_s" >>"$summary_rows"
        rm -rf "$run"
    done

    # Over-time table: one row per checkpoint step, one column per seed.
    table=$(awk -v seeds="$seeds" '
        { v[$2, $1] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
        END { m = split(seeds, s, " ")
              header = "| env step |"; rule = "|---|"
              for (j = 1; j <= m; j++) { header = header " seed " s[j] " |"; rule = rule "---|" }
              print header; print rule
              for (i = 1; i <= n; i++) { row = "| " order[i] " |"; for (j = 1; j <= m; j++) row = row " " v[order[i], s[j]] " |"; print row } }' \
        "$work/$e-over-time.txt")
    echo
    echo "last-20 mean return over time:"
    echo "$table"
    seed_count=$(wc -w <<<"$seeds")
    {
        echo "## $id"
        echo
        echo "Preset \`configs/ppo/$(basename "$config")\`; target: last-20 mean return ≥ $target within $budget env steps."
        echo "Reached by $reached of $seed_count seeds. Final last-20 mean over seeds (mean ± population std): $(cut -d'|' -f6 "$summary_rows" | awk '{ x[NR] = $1; sum += $1 } END { m = sum / NR; for (i = 1; i <= NR; i++) v += (x[i] - m) ^ 2; printf "%.2f ± %.2f", m, sqrt(v / NR) }')."
        echo
        echo "Reference: $(env_reference "$e")"
        echo
        echo "| seed | reached | env step at target | wall s at target | final last-20 mean | best last-20 mean | train wall s | SPS | process CPU s |"
        echo "|---|---|---|---|---|---|---|---|---|"
        cat "$summary_rows"
        echo
        echo "Last-20 mean return over time (the last report at or before each step):"
        echo
        echo "$table"
        echo
    } >>"$report"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")
echo
echo "load average at end (1/5/15 min): $load_end"

{
    echo "# PPO learning quality: $titles"
    echo
    echo "Generated by \`benchmarks/ppo/learning.sh\` on $started, commit $commit."
    echo "Machine: $(nproc) cores; load average (1/5/15 min) $load_start at start, $load_end at end (wall times and SPS"
    echo "are inflated by other processes; the learning figures are not: training is deterministic per seed)."
    echo "Each run trains for the full budget; 'last-20 mean' is the mean return of the last 20 finished training"
    echo "episodes (stochastic policy, raw env rewards), read from the run's metrics.csv."
    echo
    cat "$report"
} >"$out"
echo "results written to $out"

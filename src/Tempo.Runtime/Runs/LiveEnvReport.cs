using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Runs;

/// <summary>Adds the action gaps, late world ticks and game crashes and hangs of a run's live envs to its training reports.</summary>
internal static class LiveEnvReport
{
    /// <summary>Sets <paramref name="report"/>'s run-long action-gap p50, p99 and max to those of the worst of <paramref name="liveEnvs"/>; leaves it unchanged when there are none.</summary>
    /// <remarks>The late ticks come from each env's <see cref="ILiveEnv"/>, the gaps from the <see cref="IActionGapSource"/> it wears. Fills the report in place, allocating nothing.</remarks>
    public static void Fill(TrainingReport report, IEnv[] liveEnvs)
    {
        if (liveEnvs.Length == 0)
        {
            return;
        }

        // The worst env sets the figure: one actor missing its deadline is a failure even if others keep theirs.
        double p50 = 0, p99 = 0, max = 0;
        long lateTicks = 0, crashes = 0, hangs = 0;
        string? lastFault = report.LastGameFault;
        var games = false;
        foreach (var env in liveEnvs)
        {
            if (env.TryFind<ILiveEnv>(out var live))
            {
                lateTicks += live.LateTickCount;
            }

            if (env.TryFind<IGameFaultSource>(out var faults))
            {
                games = true;
                crashes += faults.CrashCount;
                hangs += faults.HangCount;
                lastFault = faults.LastFault ?? lastFault;
            }

            if (env.TryFind<IActionGapSource>(out var source))
            {
                var gaps = source.ActionGaps.Run;
                p50 = Math.Max(p50, gaps.P50.TotalMilliseconds);
                p99 = Math.Max(p99, gaps.P99.TotalMilliseconds);
                max = Math.Max(max, gaps.Max.TotalMilliseconds);
            }
        }

        report.ActionGapP50Milliseconds = p50;
        report.ActionGapP99Milliseconds = p99;
        report.ActionGapMaxMilliseconds = max;
        report.DeadlineOverruns = lateTicks;
        report.GameCrashes = games ? crashes : null;
        report.GameHangs = games ? hangs : null;
        report.LastGameFault = lastFault;
    }
}

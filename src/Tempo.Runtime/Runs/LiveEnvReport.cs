using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Runs;

/// <summary>Adds the action gaps and late world ticks of a run's live envs to its training reports.</summary>
internal static class LiveEnvReport
{
    /// <summary>Returns <paramref name="report"/> with the run-long action-gap p50, p99 and max of the worst of <paramref name="liveEnvs"/>; unchanged when there are none.</summary>
    /// <remarks>The late ticks come from each env's <see cref="ILiveEnv"/>, the gaps from the <see cref="IActionGapSource"/> it wears.</remarks>
    public static TrainingReport With(TrainingReport report, IReadOnlyList<IEnv> liveEnvs)
    {
        if (liveEnvs.Count == 0)
        {
            return report;
        }

        // The worst env sets the figure: one actor missing its deadline is a failure even if others keep theirs.
        double p50 = 0, p99 = 0, max = 0;
        long lateTicks = 0;
        foreach (var env in liveEnvs)
        {
            if (env.TryFind<ILiveEnv>(out var live))
            {
                lateTicks += live.LateTickCount;
            }

            if (env.TryFind<IActionGapSource>(out var source))
            {
                var gaps = source.ActionGaps.Run;
                p50 = Math.Max(p50, gaps.P50.TotalMilliseconds);
                p99 = Math.Max(p99, gaps.P99.TotalMilliseconds);
                max = Math.Max(max, gaps.Max.TotalMilliseconds);
            }
        }

        return report with { ActionGapP50Milliseconds = p50, ActionGapP99Milliseconds = p99, ActionGapMaxMilliseconds = max, DeadlineOverruns = lateTicks };
    }
}

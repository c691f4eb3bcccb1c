using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Wraps a real policy, logging Act and Load and keeping a copy of every batch of observations it acted on.</summary>
internal sealed class RecordingPolicy(IPolicy<float, int> inner, CallLog log) : IPolicy<float, int>
{
    public List<float[]> ActedOn { get; } = [];

    public PolicyVersion Version => inner.Version;

    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        log.Add("Act");
        ActedOn.Add(observations.ToArray());
        inner.Act(observations, batch, selection, actions, logProbs, values);
    }

    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) => inner.EstimateValues(observations, batch, values);

    public void Load(PolicySnapshot snapshot)
    {
        log.Add($"Load({snapshot.Version})");
        inner.Load(snapshot);
    }
}

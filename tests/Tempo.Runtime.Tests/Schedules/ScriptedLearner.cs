using System.Collections.Concurrent;
using System.Diagnostics;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>A learner that trains nothing: it records what reaches Update, can block for a set time, and can fail on a chosen update.</summary>
/// <remarks>Its snapshots hold zero weights of the acting policy's size, so actors act uniformly at random.</remarks>
internal sealed class ScriptedLearner(int weightCount) : ILearner<float, int>
{
    private readonly float[] _weights = new float[weightCount];

    // It measures nothing, so its statistics have no names: only the version and the (zero) gradient steps.
    private readonly LearnerStatistics _statistics = new();

    /// <summary>How long the first update blocks.</summary>
    public TimeSpan FirstUpdateDelay { get; init; }

    /// <summary>How long every later update blocks.</summary>
    public TimeSpan UpdateDelay { get; init; }

    /// <summary>Runs inside every update after the first, on the learner's thread (e.g. to wait for the actors to act meanwhile).</summary>
    public Action? DuringUpdate { get; init; }

    /// <summary>Every how many updates the weights change (a replay learner may take no gradient step in an update); 1: every update.</summary>
    public int ChangesEvery { get; init; } = 1;

    /// <summary>The 1-based update that throws, or null.</summary>
    public int? FailOnUpdate { get; init; }

    /// <summary>Per segment that reached Update: its behaviour version and the learner's version when it arrived.</summary>
    public ConcurrentQueue<(PolicyVersion Behaviour, PolicyVersion Learner)> Received { get; } = new();

    /// <summary>The behaviour log-probabilities of the first segment that reached Update.</summary>
    public float[]? FirstBehaviourLogProbs { get; private set; }

    /// <summary>Stopwatch timestamps of when the first update started and stopped blocking.</summary>
    public (long From, long Until) FirstBlock { get; private set; }

    public int Updates { get; private set; }

    public PolicyVersion Version { get; private set; }

    public LearnerStatistics Update(IReadOnlyList<Segment<float, int>> segments)
    {
        foreach (var segment in segments)
        {
            Received.Enqueue((segment.BehaviourVersion, Version));
            FirstBehaviourLogProbs ??= segment.BehaviourLogProbs.ToArray();
        }

        Updates++;
        if (Updates == FailOnUpdate)
        {
            throw new InvalidOperationException($"Scripted learner failure on update {Updates}.");
        }

        if (Updates > 1)
        {
            DuringUpdate?.Invoke();
        }

        var delay = Updates == 1 ? FirstUpdateDelay : UpdateDelay;
        if (delay > TimeSpan.Zero)
        {
            var from = Stopwatch.GetTimestamp();
            Thread.Sleep(delay);
            if (Updates == 1)
            {
                FirstBlock = (from, Stopwatch.GetTimestamp());
            }
        }

        if (Updates % ChangesEvery == 0)
        {
            Version = Version.Next();
        }

        _statistics.PolicyVersion = Version.Value;
        return _statistics;
    }

    public PolicySnapshot Snapshot() => new(Version, _weights);

    public void CopySnapshotTo(PolicySnapshot target) => target.CopyFrom(Version, _weights);
}

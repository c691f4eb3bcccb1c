using Tempo.Algorithms.Learners;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

/// <summary>Reports used across the sink tests: one with every field set (a live async run) and one of a simulator.</summary>
internal static class SampleReports
{
    public static TrainingReport Full() => new()
    {
        GlobalStep = 187_700,
        WallTimeSeconds = 29.6125,
        Episodes = 1_234,
        EpisodicReturnMean = 475.25,
        EpisodicLengthMean = 475.25,
        StepsPerSecond = 6_993.5,
        ActionGapP50Milliseconds = 50.125,
        ActionGapP99Milliseconds = 52.75,
        ActionGapMaxMilliseconds = 81.5,
        DeadlineOverruns = 3,
        PolicyLagMean = 1.4,
        PolicyLagMax = 4,
        SegmentsDroppedStale = 5,
        SegmentsDroppedQueueFull = 6,
        LearnerUpdatesPerSecond = 12.5,
        Learner = Statistics(
            91,
            8,
            (ActorCriticStatistics.LearningRate, 2.5e-4),
            (ActorCriticStatistics.PolicyLoss, -0.0123),
            (ActorCriticStatistics.ValueLoss, 17.75),
            (ActorCriticStatistics.Entropy, 0.5625),
            (ActorCriticStatistics.ApproxKl, 0.0071),
            (ActorCriticStatistics.ClipFraction, 0.09375),
            (ActorCriticStatistics.ExplainedVariance, 0.875),
            (ActorCriticStatistics.GradientNorm, 0.3125)),
    };

    /// <summary>Statistics with the given names and values, in order.</summary>
    public static LearnerStatistics Statistics(long policyVersion, int gradientSteps, params (string Name, double Value)[] values)
    {
        var statistics = new LearnerStatistics(values.Select(v => v.Name)) { PolicyVersion = policyVersion, GradientSteps = gradientSteps };
        for (var i = 0; i < values.Length; i++)
        {
            statistics[i] = values[i].Value;
        }

        return statistics;
    }

    public static TrainingReport Simulator() => new()
    {
        GlobalStep = 2_048,
        WallTimeSeconds = 0.5,
        Episodes = 0,
        StepsPerSecond = 4_096,
    };
}

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
        Learner = new LearnerStatistics
        {
            LearningRate = 2.5e-4,
            PolicyLoss = -0.0123,
            ValueLoss = 17.75,
            Entropy = 0.5625,
            ApproxKl = 0.0071,
            ClipFraction = 0.09375,
            ExplainedVariance = 0.875,
            GradientNorm = 0.3125,
            PolicyVersion = 91,
        },
    };

    public static TrainingReport Simulator() => new()
    {
        GlobalStep = 2_048,
        WallTimeSeconds = 0.5,
        Episodes = 0,
        StepsPerSecond = 4_096,
    };
}

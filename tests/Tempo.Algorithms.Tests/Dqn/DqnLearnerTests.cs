using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Experience;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Dqn;

/// <summary>dqn.py's cadence over segments: learning starts, train and target frequencies, versions, and no allocation per update.</summary>
public sealed class DqnLearnerTests
{
    [Fact]
    public void Update_FollowsLearningStartsAndTrainFrequency()
    {
        var options = new DqnOptions { LearningStarts = 100, TrainFrequency = 10, BatchSize = 8, BufferSize = 1_000 };
        var learner = Learner(options);
        var segment = Segment(steps: 10, envs: 1, new Random(1));

        var versions = new List<long>();
        var steps = new List<int>();
        for (var update = 0; update < 15; update++)
        {
            var statistics = learner.Update([segment]);
            versions.Add(statistics.PolicyVersion);
            steps.Add(statistics.GradientSteps);
        }

        // Steps 1..100 only fill the buffer; from step 110 on, one gradient step every 10 steps, one version each.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], steps);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5], versions);
        Assert.Equal(150, learner.EnvSteps);
        Assert.Equal(150, learner.Replay.StepsAdded);
    }

    [Fact]
    public void Update_CopiesTheTargetEveryTargetFrequencyStepsAfterLearningStarts()
    {
        var options = new DqnOptions { LearningStarts = 20, TrainFrequency = 5, TargetNetworkFrequency = 30, BatchSize = 4, BufferSize = 100 };
        var learner = Learner(options);
        var segment = Segment(steps: 5, envs: 1, new Random(2));
        for (var update = 0; update < 11; update++)
        {
            learner.Update([segment]);
        }

        // At step 55 the online network has trained since the copy at step 30: they differ, and the copy at 60 joins them.
        Assert.NotEqual(Weights(learner.Online), Weights(learner.Target));
        learner.Update([segment]);
        Assert.Equal(Weights(learner.Online), Weights(learner.Target));
    }

    [Fact]
    public void Update_InSteadyStateAllocatesNothing()
    {
        var options = new DqnOptions { LearningStarts = 50, TrainFrequency = 4, BatchSize = 32, BufferSize = 500, DoubleDqn = true, PrioritizedReplay = true, NStep = 3 };
        var learner = Learner(options);
        List<Segment<float, int>> segments = [Segment(steps: 16, envs: 2, new Random(3))];

        var allocated = Allocations.OnThisThread(() => learner.Update(segments), warmUp: 100, repetitions: 200);

        Assert.Equal(0, allocated);
    }

    private static DqnLearner Learner(DqnOptions options) =>
        new(new QNetwork(4, 2, [16, 16], options.Dueling, new Random(1)), options, 10_000, new RandomSource(1));

    private static float[] Weights(QNetwork network) => [.. network.Parameters().SelectMany(p => p.Value.Span.ToArray())];

    private static Segment<float, int> Segment(int steps, int envs, Random random)
    {
        var segment = new Segment<float, int>(new SegmentLayout(steps, envs, 4, 1));
        for (var i = 0; i < segment.Observations.Length; i++)
        {
            segment.Observations[i] = (float)random.NextDouble();
        }

        for (var k = 0; k < steps * envs; k++)
        {
            segment.Actions[k] = random.Next(2);
            segment.Rewards[k] = 1;
            segment.Terminated[k] = random.Next(20) == 0;
        }

        return segment;
    }
}

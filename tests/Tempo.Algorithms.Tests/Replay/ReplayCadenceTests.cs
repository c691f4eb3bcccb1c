using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Tests.Replay;

/// <summary>When replay learners take gradient steps: dqn.py's train-frequency, SB3's gradient-steps bursts, and a held replay ratio.</summary>
public sealed class ReplayCadenceTests
{
    [Theory]
    [InlineData(100, 10)]
    [InlineData(1000, 256)]
    [InlineData(0, 4)]
    [InlineData(7, 3)]
    public void TrainFrequency_OwesOneStepPerMultiplePastLearningStarts(int learningStarts, int trainFrequency)
    {
        var cadence = new ReplayCadence(learningStarts, trainFrequency);
        var counted = 0L;
        for (long step = 1; step <= 3_000; step++)
        {
            // dqn.py's loop, counted from 1: `if step > learning_starts and step % train_frequency == 0`.
            if (step > learningStarts && step % trainFrequency == 0)
            {
                counted++;
            }

            Assert.Equal(counted, cadence.GradientStepsOwed(step));
        }
    }

    [Fact]
    public void GradientSteps_TakesThatManyAtEachMultiple()
    {
        // rl-zoo's CartPole DQN: 128 gradient steps every 256 env steps once 1000 have been collected (first at 1024).
        var cadence = new ReplayCadence(1_000, 256, GradientSteps: 128);

        Assert.Equal(0, cadence.GradientStepsOwed(1_023));
        Assert.Equal(128, cadence.GradientStepsOwed(1_024));
        Assert.Equal(128, cadence.GradientStepsOwed(1_279));
        Assert.Equal(256, cadence.GradientStepsOwed(1_280));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void ReplayRatio_OwesTheRatioOfStepsPastLearningStarts(double ratio)
    {
        var cadence = new ReplayCadence(50, 10, ratio);

        Assert.Equal(0, cadence.GradientStepsOwed(50));
        for (var k = 1; k <= 100; k++)
        {
            // Decimal arithmetic is exact for these ratios, so it is an independent floor of ratio × k.
            Assert.Equal((long)Math.Floor((decimal)ratio * k), cadence.GradientStepsOwed(50 + k));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ReplayRatio_OutOfRange_IsRejectedNamingTheKeyAndValue(double ratio)
    {
        var error = Assert.Throws<ArgumentException>(() => new DqnOptions { ReplayRatio = ratio }.Validate());

        Assert.Contains("replay-ratio", error.Message, StringComparison.Ordinal);
        Assert.Contains(ratio.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DqnLearner_HoldsTheReplayRatioOverUnevenSegmentsAndReportsIt()
    {
        var options = new DqnOptions { LearningStarts = 40, ReplayRatio = 0.4, BatchSize = 8, BufferSize = 1_000 };
        var learner = new DqnLearner(new QNetwork(4, 2, [16], dueling: false, new Random(1)), options, 10_000, new RandomSource(1));
        var random = new Random(2);
        LearnerStatistics? last = null;
        var total = 0L;
        foreach (var steps in new[] { 7, 33, 1, 64, 5, 90, 2 })
        {
            var before = learner.GradientSteps;
            last = learner.Update([Segment(steps, envs: 2, random)]);
            total += last.GradientSteps;
            Assert.Equal(learner.GradientSteps - before, last.GradientSteps);
        }

        // 2 × 202 = 404 env steps, 364 past learning-starts: 0.4 × 364 = 145.6, so 145 gradient steps.
        Assert.Equal(404, learner.EnvSteps);
        Assert.Equal(145, learner.GradientSteps);
        Assert.Equal(145, total);
        Assert.Equal(145.0 / 364, last!["charts/replay_ratio"], 1e-12);
    }

    [Fact]
    public void Restore_ContinuesTheCadenceFromTheRestoredStep()
    {
        var options = new DqnOptions { LearningStarts = 40, ReplayRatio = 0.5, BatchSize = 8, BufferSize = 1_000 };
        var learner = new DqnLearner(new QNetwork(4, 2, [16], dueling: false, new Random(1)), options, 10_000, new RandomSource(1));
        learner.Restore(new LearnerProgress(10, 140), new PolicyVersion(50));
        var random = new Random(3);
        learner.Update([Segment(10, envs: 1, random)]);

        // Restored at 140 (50 owed), then 10 more steps past learning-starts owe 5 more.
        Assert.Equal(55, learner.GradientSteps);
        Assert.Equal(0.5, learner.ReplayRatio, 1e-12);
    }

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

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Ppo;

/// <summary>Data-parallel PPO (Lightning Fabric's way, on threads): one rank is the single-process learner, a fixed K is deterministic, and the averaged gradient is the whole batch's.</summary>
public sealed class DataParallelPpoTests
{
    private const int ObservationSize = 4;
    private static readonly int[] _hidden = [64, 64];

    [Fact]
    public void OneRank_TrainsExactlyAsTheSingleProcessLearner()
    {
        var single = Model(1);
        var ranked = Model(1);
        var options = new PpoOptions { NumMinibatches = 2, UpdateEpochs = 2 };
        var shape = new LearnerShape(2, 8, 160);
        var reference = new PpoLearner<float, int>(single, options, shape, new RandomSource(2));
        using var ranks = new LearnerRanks(1);
        var learner = new PpoLearner<float, int>([ranked], options, shape, [new RandomSource(2)], ranks);

        var random = new RandomSource(3);
        for (var update = 0; update < 3; update++)
        {
            var segment = ActedSegment(single, random, envs: 2);
            var expected = Copy(reference.Update([segment]));
            var actual = Copy(learner.Update([segment]));
            Assert.Equal(expected, actual);
        }

        Assert.Equal(Weights(single), Weights(ranked));
        Assert.Equal([RandomStreamKey.Learner], learner.RandomStreams.Keys);
    }

    [Fact]
    public void TwoRanks_OnThreadsOrInTurn_TrainToTheSameWeightsBitForBit()
    {
        // Each rank's work is its own and the all-reduce sums in rank order, so neither the threads nor their timing can change a bit.
        var segments = Enumerable.Range(0, 3).Select(u => (Segment<float, int>[])[ActedSegment(Model(1), new RandomSource(10 + u), 2), ActedSegment(Model(1), new RandomSource(20 + u), 2)]).ToArray();
        using var ranks = new LearnerRanks(2);
        var threaded = TrainTwoRanks(segments, ranks);
        var againThreaded = TrainTwoRanks(segments, ranks);
        var inTurn = TrainTwoRanks(segments, ranks: null);

        Assert.Equal(threaded, againThreaded);
        Assert.Equal(threaded, inTurn);
        Assert.NotEqual(Weights(Model(1)), threaded);
    }

    [Fact]
    public void TwoRanks_CheckpointEveryRanksShuffleStream()
    {
        using var ranks = new LearnerRanks(2);
        var learner = TwoRankLearner(Model(1), Model(1), ranks);

        Assert.Equal([RandomStreamKey.Learner, RandomStreamKey.LearnerRank(1)], learner.RandomStreams.Keys);
        Assert.Equal(2, learner.Ranks);
    }

    [Fact]
    public void TwoRanks_AnOddNumberOfSegments_IsRefusedNamingTheCount()
    {
        using var ranks = new LearnerRanks(2);
        var learner = TwoRankLearner(Model(1), Model(1), ranks);

        var error = Assert.Throws<ArgumentException>(() => learner.Update([ActedSegment(Model(1), new RandomSource(4), envs: 4)]));

        Assert.Contains("multiple of 2 segments", error.Message);
        Assert.Contains("got 1", error.Message);
    }

    [Fact]
    public void Constructor_TrajectoriesThatDoNotSplitOverTheRanks_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new PpoLearner<float, int>([Model(1), Model(1)], new PpoOptions(), new LearnerShape(3, 8, 240), [new RandomSource(1), new RandomSource(2)], ranks: null));

        Assert.Contains("3 env trajectories per update do not split evenly over 2 learner ranks", error.Message);
    }

    [Fact]
    public void Constructor_ListsOfDifferentLengths_AreRefused()
    {
        using var three = new LearnerRanks(3);
        var options = new PpoOptions { NumMinibatches = 1 };
        var shape = new LearnerShape(4, 8, 320);

        var streams = Assert.Throws<ArgumentException>(() => new PpoLearner<float, int>([Model(1), Model(1)], options, shape, [new RandomSource(1)], ranks: null));
        var threads = Assert.Throws<ArgumentException>(() => new PpoLearner<float, int>([Model(1), Model(1)], options, shape, [new RandomSource(1), new RandomSource(2)], three));

        Assert.Contains("2 learner ranks need 2 shuffle streams; got 1", streams.Message);
        Assert.Contains("2 model replicas need 2 learner ranks; got 3", threads.Message);
    }

    [Fact]
    public void TwoRanks_AfterWarmUp_UpdateAllocatesNothingOnTheCallingThread()
    {
        using var ranks = new LearnerRanks(2);
        var learner = TwoRankLearner(Model(1), Model(1), ranks);
        Segment<float, int>[] segments = [ActedSegment(Model(1), new RandomSource(5), 2), ActedSegment(Model(1), new RandomSource(6), 2)];

        Assert.Equal(0, Allocations.OnThisThread(() => learner.Update(segments), warmUp: 1, repetitions: 3));
    }

    [Fact]
    public void AllReduce_AveragedHalfBatchGradients_EqualTheWholeBatchGradientWithinTheDerivedBound()
    {
        const int half = 32;
        const int batch = 2 * half;
        var random = new RandomSource(11);
        var observations = Uniform(random, batch * ObservationSize);
        var actions = Enumerable.Range(0, batch).Select(i => random.Next(2)).ToArray();

        // The loss's per-sample gradients with respect to log π, entropy and V: c_i / n for a mean over n samples (a power
        // of two, so every scaling below is exact).
        var coefficients = Uniform(random, 3 * batch);
        var whole = Model(1);
        var rank0 = Model(1);
        var rank1 = Model(1);
        var expected = Gradient(whole, observations, actions, coefficients, 0, batch, batch);
        Gradient(rank0, observations, actions, coefficients, 0, half, half);
        Gradient(rank1, observations, actions, coefficients, half, half, half);

        GradientAllReduce.AverageInto([Parameters(rank0), Parameters(rank1)], part: 0, parts: 1);
        var averaged = Parameters(rank0).SelectMany(p => p.Gradient.Span.ToArray()).ToArray();

        // The bound (Higham, Accuracy and Stability of Numerical Algorithms, §3.1): a gradient element is Σ_i g_i over the n
        // samples' contributions, each the product of a backward chain of at most d rounded operations (two per input of
        // every layer on the path 4 → 64 → 64 → 2, plus the log-softmax and entropy: d = 2·134 + 10). A float sum of n such
        // terms lies within γ_(n+d)·Σ|g_i| of the exact value, γ_k = k·u / (1 − k·u), u = 2⁻²⁴; the whole-batch gradient and
        // the average (an exact halving of one more rounded sum) each do, so they differ by at most 2·γ_(n+d+1)·Σ|g_i|.
        // Σ|g_i| is measured from each sample's own gradient, itself within γ_d of exact: a factor (1 + γ_d) covers that.
        const double u = 1.0 / (1 << 24);
        static double Gamma(int k) => k * u / (1 - (k * u));
        const int depth = (2 * (4 + 64 + 64 + 2)) + 10;
        var magnitude = AbsoluteContributions(Model(1), observations, actions, coefficients, batch);
        var factor = 2 * Gamma(batch + depth + 1) * (1 + Gamma(depth));
        var worst = 0.0;
        for (var j = 0; j < expected.Length; j++)
        {
            var bound = factor * magnitude[j];
            var difference = Math.Abs((double)averaged[j] - expected[j]);
            Assert.True(difference <= bound, $"gradient element {j}: whole batch {expected[j]}, averaged halves {averaged[j]}, |difference| {difference} > bound {bound}");
            worst = Math.Max(worst, bound == 0 ? 0 : difference / bound);
        }

        // The test would notice a wrong average (a sum, or one rank's alone): those are off by the gradient itself.
        Assert.True(worst < 1);
        Assert.NotEqual(expected, Parameters(rank1).SelectMany(p => p.Gradient.Span.ToArray()).ToArray());
    }

    private static float[] TrainTwoRanks(Segment<float, int>[][] updates, LearnerRanks? ranks)
    {
        var model = Model(1);
        var learner = TwoRankLearner(model, Model(1), ranks);
        foreach (var segments in updates)
        {
            learner.Update(segments);
        }

        return Weights(model);
    }

    private static PpoLearner<float, int> TwoRankLearner(CategoricalMlpActorCritic first, CategoricalMlpActorCritic second, LearnerRanks? ranks) =>
        new([first, second], new PpoOptions { NumMinibatches = 2, UpdateEpochs = 2 }, new LearnerShape(4, 8, 320), [new RandomSource(2), new RandomSource(7)], ranks);

    private static CategoricalMlpActorCritic Model(int seed) => new(ObservationSize, 2, _hidden, new RandomSource(seed));

    private static Parameter[] Parameters(CategoricalMlpActorCritic model) => [.. model.NamedParameters.Select(p => p.Parameter)];

    private static float[] Weights(CategoricalMlpActorCritic model)
    {
        var weights = new float[model.WeightCount];
        model.CopyWeightsTo(weights);
        return weights;
    }

    private static double[] Copy(LearnerStatistics statistics) => [.. statistics.Names.Select(n => statistics[n])];

    /// <summary>Zeroes <paramref name="model"/>'s gradients and backpropagates samples <c>first … first + count</c> of a loss whose per-sample gradients are <paramref name="coefficients"/> / <paramref name="meanOver"/>.</summary>
    private static float[] Gradient(CategoricalMlpActorCritic model, float[] observations, int[] actions, float[] coefficients, int first, int count, int meanOver)
    {
        var logProbs = new float[count];
        var entropy = new float[count];
        var values = new float[count];
        model.Evaluate(observations.AsSpan(first * ObservationSize, count * ObservationSize), actions.AsSpan(first, count), count, logProbs, entropy, values);
        var batch = actions.Length;
        float[] Scaled(int term) => [.. coefficients.AsSpan((term * batch) + first, count).ToArray().Select(c => c / meanOver)];
        var parameters = Parameters(model);
        Gradients.ZeroGrad(parameters);
        model.Backward(Scaled(0), Scaled(1), Scaled(2));
        return [.. parameters.SelectMany(p => p.Gradient.Span.ToArray())];
    }

    /// <summary>Σ_i |g_i| per gradient element, from each sample's own gradient (a batch of one).</summary>
    private static double[] AbsoluteContributions(CategoricalMlpActorCritic model, float[] observations, int[] actions, float[] coefficients, int batch)
    {
        double[]? sums = null;
        for (var i = 0; i < batch; i++)
        {
            var single = Gradient(model, observations, actions, coefficients, i, 1, batch);
            sums ??= new double[single.Length];
            for (var j = 0; j < single.Length; j++)
            {
                sums[j] += Math.Abs(single[j]);
            }
        }

        return sums!;
    }

    /// <summary>A segment of 8 steps × <paramref name="envs"/> envs acted by <paramref name="policy"/> on random observations, as an actor would fill it.</summary>
    private static Segment<float, int> ActedSegment(CategoricalMlpActorCritic policy, Random random, int envs)
    {
        var segment = new Segment<float, int>(new SegmentLayout(8, envs, ObservationSize, 1));
        var transitions = 8 * envs;
        Uniform(random, segment.Observations.Length).CopyTo(segment.Observations);
        policy.Act(segment.Observations, transitions, ActionSelection.Sample, segment.Actions, segment.BehaviourLogProbs, segment.BehaviourValues);
        for (var k = 0; k < transitions; k++)
        {
            segment.Rewards[k] = segment.Actions[k] == 0 ? 1f : -1f;
            segment.Terminated[k] = k % 7 == 6;
        }

        Uniform(random, segment.BootstrapObservations.Length).CopyTo(segment.BootstrapObservations);
        return segment;
    }

    private static float[] Uniform(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}

using Tempo.Algorithms.Models;
using Tempo.Core.Seeding;
using Tempo.Nn.Kernels;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Tests.Models;

/// <summary>With two training threads, the actor's and critic's passes run at once and give bit-identical results.</summary>
public sealed class TrainingParallelismTests
{
    private const int Batch = 37;

    [Fact]
    public void CategoricalModel_TwoThreads_EvaluateAndGradientsAreBitIdentical()
    {
        var observations = Uniform(new RandomSource(5), Batch * 4);
        var actions = Enumerable.Range(0, Batch).Select(i => i % 3).ToArray();
        var single = new CategoricalMlpActorCritic(4, 3, [16, 16], new RandomSource(1));
        var paired = new CategoricalMlpActorCritic(4, 3, [16, 16], new RandomSource(1));
        using var parallelism = new KernelParallelism(2);
        paired.Parallelism = parallelism;

        var expected = Train(single, observations, actions);
        var actual = Train(paired, observations, actions);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GaussianModel_TwoThreads_EvaluateAndGradientsAreBitIdentical()
    {
        var observations = Uniform(new RandomSource(6), Batch * 3);
        var actions = Uniform(new RandomSource(7), Batch * 2);
        var single = new GaussianMlpActorCritic(3, 2, [16, 16], new RandomSource(2));
        var paired = new GaussianMlpActorCritic(3, 2, [16, 16], new RandomSource(2));
        using var parallelism = new KernelParallelism(2);
        paired.Parallelism = parallelism;

        var expected = Train(single, observations, actions);
        var actual = Train(paired, observations, actions);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ChangingBatchSize_BetweenEvaluations_UsesTheNewBatch()
    {
        var model = new CategoricalMlpActorCritic(4, 2, [8], new RandomSource(3));
        using var parallelism = new KernelParallelism(2);
        model.Parallelism = parallelism;
        var observations = Uniform(new RandomSource(8), 10 * 4);
        var logProbs = new float[10];
        var entropy = new float[10];
        var values = new float[10];

        model.Evaluate(observations, new int[10], 10, logProbs, entropy, values);
        var firstFive = values[..5];
        model.Evaluate(observations, new int[5], 5, logProbs, entropy, values);

        // Other batch sizes take other GEMM tiles, so agreement is to rounding, not to the bit.
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(firstFive[i], values[i], 1e-6f));
    }

    /// <summary>Evaluate, then Backward with fixed upstream gradients, and return outputs followed by every gradient.</summary>
    private static float[] Train<TAction>(IActorCritic<float, TAction> model, float[] observations, TAction[] actions)
        where TAction : unmanaged
    {
        var logProbs = new float[Batch];
        var entropy = new float[Batch];
        var values = new float[Batch];
        var parameters = model.NamedParameters.Select(p => p.Parameter).ToArray();
        Gradients.ZeroGrad(parameters);
        model.Evaluate(observations, actions, Batch, logProbs, entropy, values);
        var upstream = Uniform(new RandomSource(9), Batch);
        model.Backward(upstream, upstream, upstream);
        return [.. logProbs, .. entropy, .. values, .. parameters.SelectMany(p => p.Gradient.Span.ToArray())];
    }

    private static float[] Uniform(RandomSource random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}

using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Models;

/// <summary>The acting fast path (transposed weights) must agree with the training path and follow weight changes.</summary>
public sealed class InferencePlanTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    public void EstimateValues_SmallAndLargeBatches_MatchTheTrainingForward(int batch)
    {
        var model = new CategoricalMlpActorCritic(4, 3, [64, 64], new Random(3));
        var observations = Observations(batch, 7);
        var fromPlan = new float[batch];
        model.EstimateValues(observations, batch, fromPlan);

        var fromModules = new float[batch];
        model.Evaluate(observations, new int[batch], batch, new float[batch], new float[batch], fromModules);

        // The plan multiplies by transposed weights, so its sums run in another order: both paths are within E of the
        // exact critic (BoundedStack), so within 2E of each other.
        var critic = CriticBound(model, observations, batch);
        Float32Bounds.AssertWithin(fromModules.Select(v => (double)v).ToArray(), fromPlan, critic.OutputError.Select(e => 2 * e).ToArray(), "plan against modules");
    }

    [Fact]
    public void Act_AfterLoadingNewWeights_UsesThem()
    {
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], new Random(1));
        var other = new CategoricalMlpActorCritic(4, 2, [64, 64], new Random(2));
        var observation = Observations(1, 5);
        var before = new float[1];
        model.EstimateValues(observation, 1, before);

        var weights = new float[other.WeightCount];
        other.CopyWeightsTo(weights);
        model.Load(new PolicySnapshot(new PolicyVersion(1), weights));
        var after = new float[1];
        var expected = new float[1];
        model.EstimateValues(observation, 1, after);
        other.EstimateValues(observation, 1, expected);

        Assert.NotEqual(before[0], after[0]);
        Assert.Equal(expected[0], after[0]);
    }

    [Fact]
    public void EstimateValues_AfterATrainingStep_SeesTheNewWeights()
    {
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], new Random(1));
        var observation = Observations(1, 9);
        var before = new float[1];
        model.EstimateValues(observation, 1, before);

        // A training pass (Evaluate, Backward) announces that the parameters are about to change.
        model.Evaluate(observation, [0], 1, new float[1], new float[1], new float[1]);
        model.Backward([0f], [0f], [1f]);
        foreach (var named in model.NamedParameters)
        {
            var value = named.Parameter.Value.Span;
            for (var i = 0; i < value.Length; i++)
            {
                value[i] += 0.01f;
            }
        }

        var after = new float[1];
        var reference = new float[1];
        model.EstimateValues(observation, 1, after);
        model.Evaluate(observation, [0], 1, new float[1], new float[1], reference);
        Assert.NotEqual(before[0], after[0]);
        var critic = CriticBound(model, observation, 1);
        Float32Bounds.AssertWithin(reference[0], after[0], 2 * critic.OutputError[0], "plan against modules after a step");
    }

    /// <summary>The critic (CleanRL's tanh MLP: critic.0, critic.2, critic.4) in double with its float32 error bound E.</summary>
    private static BoundedStack CriticBound(CategoricalMlpActorCritic model, float[] observations, int batch)
    {
        var p = model.NamedParameters.ToDictionary(n => n.Name, n => n.Parameter);
        BoundedStack.Affine Layer(int index) =>
            new(p[$"critic.{index}.weight"].Value.Span.ToArray(), p[$"critic.{index}.bias"].Value.Span.ToArray(), p[$"critic.{index}.weight"].Value.Shape[0], 1, 1);
        var stack = new BoundedStack(batch, observations.Length / batch, 1, 1, [Layer(0), new BoundedStack.Tanh(), Layer(2), new BoundedStack.Tanh(), Layer(4)]);
        stack.Forward(observations);
        return stack;
    }

    private static float[] Observations(int batch, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, batch * 4).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }
}

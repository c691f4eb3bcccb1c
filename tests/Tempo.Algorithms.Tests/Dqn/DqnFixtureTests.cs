using System.Text.Json;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Replay;
using Tempo.Algorithms.Tests.Replay;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Dqn;

/// <summary>One gradient step's TD targets, loss and gradients against PyTorch (tests/fixtures/torch/generate_offpolicy.py).</summary>
public sealed class DqnFixtureTests
{
    [Theory]
    [InlineData("dqn")]
    [InlineData("double")]
    [InlineData("dueling")]
    [InlineData("weighted_nstep")]
    public void GradientStepMatchesTorch(string name)
    {
        using var document = OffPolicyFixtures.Load("dqn.json");
        var fixture = document.RootElement.GetProperty(name);
        var hidden = fixture.GetProperty("hidden_sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var dueling = fixture.GetProperty("dueling").GetBoolean();
        var online = new QNetwork(4, 3, hidden, dueling, new Random(1));
        Load(online, fixture.GetProperty("online"));
        var options = new DqnOptions { BatchSize = 8, BufferSize = 8, Dueling = dueling, DoubleDqn = fixture.GetProperty("double").GetBoolean() };
        var learner = new DqnLearner(online, options, totalTimesteps: 1_000, new RandomSource(1));
        Load(learner.Target, fixture.GetProperty("target"));

        var batch = new ReplayBatch<float, int>(8, 4, 1);
        FixtureTensor.Read(fixture, "observations").Floats.CopyTo(batch.Observations, 0);
        FixtureTensor.Read(fixture, "next_observations").Floats.CopyTo(batch.NextObservations, 0);
        FixtureTensor.Read(fixture, "actions").Data.Select(x => (int)x).ToArray().CopyTo(batch.Actions, 0);
        FixtureTensor.Read(fixture, "rewards").Floats.CopyTo(batch.Rewards, 0);
        FixtureTensor.Read(fixture, "discounts").Floats.CopyTo(batch.Discounts, 0);
        FixtureTensor.Read(fixture, "weights").Floats.CopyTo(batch.Weights, 0);
        var tdErrors = new float[8];

        var loss = learner.ComputeGradients(batch, tdErrors, out _);

        // Bounds: both networks in double beside a running bound E on any float32 implementation's error
        // (BoundedStack), the TD target and loss built from them with their own roundings (Reference), so Tempo and
        // torch agree within 2E; the TD errors are compared with torch's q − y (exact differences of its float32 values).
        var reference = Reference.Of(fixture, hidden, dueling);
        Float32Bounds.AssertWithin(fixture.GetProperty("loss").GetDouble(), loss, 2 * reference.LossError, $"{name} loss");
        var q = FixtureTensor.Read(fixture, "q").Data;
        var targets = FixtureTensor.Read(fixture, "td_target").Data;
        for (var b = 0; b < 8; b++)
        {
            var (qError, targetError) = (reference.QError[(b * 3) + batch.Actions[b]], reference.TargetError[b]);
            var tdBound = (2 * (qError + targetError)) + (Float32Bounds.Unit * (Math.Abs(reference.TdErrors[b]) + qError + targetError));
            Float32Bounds.AssertWithin(q[(b * 3) + batch.Actions[b]] - targets[b], tdErrors[b], tdBound, $"{name} td error [{b}]");
        }

        var parameters = online.NamedParameters();
        for (var p = 0; p < parameters.Count; p++)
        {
            var expected = FixtureTensor.Read(fixture.GetProperty("gradients"), parameters[p].Name).Data;
            Float32Bounds.AssertWithin(expected, parameters[p].Parameter.Gradient.Span, reference.GradientErrors[p].Select(e => 2 * e).ToArray(), $"{name} {parameters[p].Name}");
        }
    }

    [Fact]
    public void DuelingAggregationMatchesTorch()
    {
        using var document = OffPolicyFixtures.Load("dqn.json");
        var fixture = document.RootElement.GetProperty("dueling");
        var hidden = fixture.GetProperty("hidden_sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var network = new QNetwork(4, 3, hidden, dueling: true, new Random(1));
        Load(network, fixture.GetProperty("online"));
        var q = network.Forward(new Nn.Tensors.Tensor(FixtureTensor.Read(fixture, "observations").Floats, 8, 4)).Span;
        var expected = FixtureTensor.Read(fixture, "q").Data;
        var stack = Reference.Network(fixture.GetProperty("online"), hidden, dueling: true, FixtureTensor.Read(fixture, "observations").Floats);
        Float32Bounds.AssertWithin(expected, q, stack.OutputError.Select(e => 2 * e).ToArray(), "dueling q");
    }

    private static void Load(QNetwork network, JsonElement stateDict)
    {
        foreach (var parameter in network.NamedParameters())
        {
            FixtureTensor.Read(stateDict, parameter.Name).Floats.CopyTo(parameter.Parameter.Value.Span);
        }
    }

    /// <summary>dqn.py's gradient step in double with a bound E on each float32 result's error.</summary>
    private sealed record Reference(double[] QError, double[] TdErrors, double[] TargetError, double LossError, List<double[]> GradientErrors)
    {
        public static Reference Of(JsonElement fixture, int[] hidden, bool dueling)
        {
            const int Batch = 8, Actions = 3;
            const double U = Float32Bounds.Unit;
            var online = Network(fixture.GetProperty("online"), hidden, dueling, FixtureTensor.Read(fixture, "observations").Floats);
            var next = FixtureTensor.Read(fixture, "next_observations").Floats;
            var target = Network(fixture.GetProperty("target"), hidden, dueling, next);
            var onlineNext = Network(fixture.GetProperty("online"), hidden, dueling, next);
            var actions = FixtureTensor.Read(fixture, "actions").Data.Select(x => (int)x).ToArray();
            var rewards = FixtureTensor.Read(fixture, "rewards").Data;
            var discounts = FixtureTensor.Read(fixture, "discounts").Data;
            var weights = FixtureTensor.Read(fixture, "weights").Data;
            var isDouble = fixture.GetProperty("double").GetBoolean();
            var tdErrors = new double[Batch];
            var targetError = new double[Batch];
            var upstream = new double[Batch * Actions];
            var upstreamError = new double[Batch * Actions];
            double lossMagnitude = 0, lossTermErrors = 0;
            for (var b = 0; b < Batch; b++)
            {
                double bootstrap, bootstrapError;
                if (isDouble)
                {
                    // The online network picks the action; any action within the sides' errors of the best may be picked.
                    var row = Enumerable.Range(0, Actions).Select(k => (b * Actions) + k).ToArray();
                    var best = row.MaxBy(i => onlineNext.Output[i]);
                    var candidates = row.Where(i => onlineNext.Output[i] + onlineNext.OutputError[i] >= onlineNext.Output[best] - onlineNext.OutputError[best]).ToArray();
                    bootstrap = target.Output[best];
                    bootstrapError = candidates.Max(i => Math.Abs(target.Output[i] - bootstrap) + target.OutputError[i]);
                }
                else
                {
                    // max is 1-Lipschitz in the largest error of its arguments.
                    var row = Enumerable.Range(0, Actions).Select(k => (b * Actions) + k).ToArray();
                    bootstrap = row.Max(i => target.Output[i]);
                    bootstrapError = row.Max(i => target.OutputError[i]);
                }

                // y = r + γ·max: a product and a sum, one rounding each.
                var y = rewards[b] + (discounts[b] * bootstrap);
                targetError[b] = (Math.Abs(discounts[b]) * bootstrapError) + (2 * U * (Math.Abs(rewards[b]) + (Math.Abs(discounts[b]) * (Math.Abs(bootstrap) + bootstrapError))));
                var selected = (b * Actions) + actions[b];
                var delta = online.Output[selected] - y;
                var deltaError = online.OutputError[selected] + targetError[b] + (U * (Math.Abs(delta) + online.OutputError[selected] + targetError[b]));
                tdErrors[b] = delta;

                // The loss term w·δ² (two roundings) and its gradient 2·w·δ/B (three).
                var deltaBound = Math.Abs(delta) + deltaError;
                lossTermErrors += (weights[b] * ((2 * Math.Abs(delta) * deltaError) + (deltaError * deltaError))) + (2 * U * weights[b] * deltaBound * deltaBound);
                lossMagnitude += weights[b] * deltaBound * deltaBound;
                upstream[selected] = 2 * weights[b] * delta / Batch;
                upstreamError[selected] = (2 * weights[b] * deltaError / Batch) + (3 * U * 2 * weights[b] * deltaBound / Batch);
            }

            // The mean: a sum of B terms and a division.
            var lossError = (lossTermErrors + (Float32Bounds.Gamma(Batch + 1) * (lossMagnitude + lossTermErrors))) / Batch;
            online.Backward(upstream, upstreamError);
            var gradientErrors = online.Gradients.SelectMany(g => new[] { g.WeightError, g.BiasError }).ToList();
            if (dueling)
            {
                // The reference's last affine layer is value and advantage in one ([1 + n] rows); the network names them apart.
                var (weight, bias) = (gradientErrors[^2], gradientErrors[^1]);
                var width = weight.Length / (Actions + 1);
                gradientErrors.RemoveRange(gradientErrors.Count - 2, 2);
                gradientErrors.AddRange([weight[..width], bias[..1], weight[width..], bias[1..]]);
            }

            var qError = online.OutputError;
            return new Reference(qError, tdErrors, targetError, lossError, gradientErrors);
        }

        /// <summary>The Q network's layers in double: dqn.py's ReLU MLP, or its dueling variant with both heads as one affine map.</summary>
        public static BoundedStack Network(JsonElement stateDict, int[] hidden, bool dueling, float[] observations)
        {
            float[] Get(string name) => FixtureTensor.Read(stateDict, name).Floats;
            var batch = observations.Length / 4;
            List<BoundedStack.Layer> layers =
            [
                new BoundedStack.Affine(Get("network.0.weight"), Get("network.0.bias"), hidden[0], 1, 1),
                new BoundedStack.Relu(),
                new BoundedStack.Affine(Get("network.2.weight"), Get("network.2.bias"), hidden[1], 1, 1),
                new BoundedStack.Relu(),
            ];
            if (dueling)
            {
                layers.Add(new BoundedStack.Affine([.. Get("value.weight"), .. Get("advantage.weight")], [.. Get("value.bias"), .. Get("advantage.bias")], 4, 1, 1));
                layers.Add(new BoundedStack.Dueling());
            }
            else
            {
                layers.Add(new BoundedStack.Affine(Get("network.4.weight"), Get("network.4.bias"), 3, 1, 1));
            }

            var stack = new BoundedStack(batch, 4, 1, 1, layers);
            stack.Forward(observations);
            return stack;
        }
    }
}

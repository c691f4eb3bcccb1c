using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Tests.Models;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Dqn;

public sealed class MultiInputQNetworkTests
{
    // The smallest frame the Nature CNN takes, two channels, plus three float features: a small SuperTux-like dict.
    private const int Channels = 2;
    private const int Size = 36;
    private const int Features = 3;
    private const int Actions = 4;
    private const int Hidden = 16;
    private const int Batch = 3;

    private static readonly DictSpace _space = new(new Dictionary<string, ISpace>
    {
        ["frames"] = new BoxSpace<byte>(0, 255, Channels, Size, Size),
        ["features"] = new BoxSpace<float>(-1, 1, Features),
    });

    [Fact]
    public void NamedParameters_AreTheExtractorsByPartThenTheHead()
    {
        var network = new MultiInputQNetwork(_space, Actions, new RandomSource(1), Hidden);

        Assert.Equal(
            ["extractors.features.0.weight", "extractors.features.0.bias", "extractors.features.2.weight", "extractors.features.2.bias",
                "extractors.frames.0.weight", "extractors.frames.0.bias", "extractors.frames.2.weight", "extractors.frames.2.bias",
                "extractors.frames.4.weight", "extractors.frames.4.bias", "extractors.frames.7.weight", "extractors.frames.7.bias",
                "head.weight", "head.bias"],
            network.NamedParameters().Select(p => p.Name));
        Assert.Equal([Actions, 64 + Hidden], Parameter(network, "head.weight").Value.Shape);
        Assert.Equal(_space.FlatSize, network.ObservationSize);

        // Replay keeps each frame of the stacked part once and the features whole.
        var frames = _space["frames"];
        Assert.Equal(Channels, network.FramesPerObservation);
        Assert.Equal(frames.ByteOffset..(frames.ByteOffset + frames.ByteLength), network.FrameStack);
    }

    [Fact]
    public void Forward_EqualsANaiveDoublePrecisionForward()
    {
        // The reference: features as they are through two tanh layers, pixels / 255 through the naive CNN, concatenated
        // in name order (features, then frames) into the linear head.
        var random = new RandomSource(8);
        var network = RandomizedNetwork(random);
        var observations = Observations(random, Batch);

        var q = network.Forward(observations, Batch).Span.ToArray();

        for (var b = 0; b < Batch; b++)
        {
            var expected = NaiveQ(network, observations.AsSpan(b * _space.FlatSize, _space.FlatSize));
            for (var a = 0; a < Actions; a++)
            {
                Assert.Equal(expected[a], q[(b * Actions) + a], 4);
            }
        }
    }

    [Fact]
    public void AccumulateParameterGradients_MatchesFiniteDifferencesOfTheNaiveForward()
    {
        // L = Σ_b Σ_a g_ba Q(s_b)_a: its gradient by the network's backward against central differences of the double-precision
        // reference (h = 1e-4 in double: truncation O(h²·|∂³L|) and rounding O(ε_64/h) are far below the float32 tolerance).
        var random = new RandomSource(21);
        var network = RandomizedNetwork(random);
        var observations = Observations(random, Batch);
        var g = Enumerable.Range(0, Batch * Actions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        network.ZeroGradients();
        network.Forward(observations, Batch);
        var gradient = new Tensor(Batch, Actions);
        g.CopyTo(gradient.Span);

        network.AccumulateParameterGradients(gradient);

        const double H = 1e-4;
        var probes = new RandomSource(5);
        foreach (var named in network.NamedParameters())
        {
            var length = named.Parameter.Value.Length;
            int[] indices = length <= 64 ? [.. Enumerable.Range(0, length)] : [.. Enumerable.Range(0, 12).Select(_ => probes.Next(length))];
            foreach (var j in indices)
            {
                var values = named.Parameter.Value.Span;
                var original = values[j];
                values[j] = (float)(original + H);
                var plusStep = values[j] - original;
                var plus = Loss(network, observations, g);
                values[j] = (float)(original - H);
                var minusStep = original - values[j];
                var minus = Loss(network, observations, g);
                values[j] = original;
                var numeric = (plus - minus) / (plusStep + minusStep);
                var analytic = named.Parameter.Gradient.Span[j];

                // Float32 sums of up to a few hundred terms against exact ones; ReLU kinks crossed by ±h are rare at h = 1e-4.
                var tolerance = 1e-3 + (1e-2 * Math.Abs(analytic));
                Assert.True(Math.Abs(numeric - analytic) <= tolerance, $"∂L/∂{named.Name}[{j}] is {analytic} by backward but {numeric} by finite differences.");
            }
        }
    }

    [Fact]
    public void CreateSibling_HasTheSameShapeAndNamesAndNewWeights()
    {
        var network = new MultiInputQNetwork(_space, Actions, new RandomSource(1), Hidden);

        var sibling = (MultiInputQNetwork)network.CreateSibling(new RandomSource(2));

        Assert.Equal(network.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Value.Shape))), sibling.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Value.Shape))));
        Assert.NotEqual(Parameter(network, "head.weight").Value.Span.ToArray(), Parameter(sibling, "head.weight").Value.Span.ToArray());
    }

    [Fact]
    public void ForwardThenBackwardAtEveryBatchSize_AllocateNothing()
    {
        var random = new RandomSource(15);
        var network = new MultiInputQNetwork(_space, Actions, random, Hidden);
        var observations = Observations(random, 8);
        var gradient = new Tensor(8, Actions);
        void TrainAtEveryBatchSize()
        {
            for (var batch = 8; batch >= 1; batch--)
            {
                network.Forward(observations.AsSpan(0, batch * _space.FlatSize), batch);
                gradient.Reshape(batch, Actions);
                network.AccumulateParameterGradients(gradient);
            }
        }

        Assert.Equal(0, Allocations.OnThisThread(TrainAtEveryBatchSize, warmUp: 1, repetitions: 5));
    }

    [Fact]
    public void Backward_AskedForAnInputGradient_SaysObservationsHaveNone()
    {
        var network = new MultiInputQNetwork(_space, Actions, new RandomSource(1), Hidden);
        network.Forward(new byte[_space.FlatSize], 1);

        var error = Assert.Throws<InvalidOperationException>(() => network.Backward(new Tensor(1, Actions)));

        Assert.Contains("AccumulateParameterGradients", error.Message);
    }

    private static double Loss(MultiInputQNetwork network, byte[] observations, float[] g)
    {
        var loss = 0.0;
        for (var b = 0; b < Batch; b++)
        {
            var q = NaiveQ(network, observations.AsSpan(b * _space.FlatSize, _space.FlatSize));
            for (var a = 0; a < Actions; a++)
            {
                loss += g[(b * Actions) + a] * q[a];
            }
        }

        return loss;
    }

    private static double[] NaiveQ(MultiInputQNetwork network, ReadOnlySpan<byte> observation)
    {
        Parameter Lookup(string name) => Parameter(network, name);
        var pixels = _space["frames"].Read<byte>(observation).ToArray().Select(p => p / 255.0).ToArray();
        var features = _space["features"].Read<float>(observation).ToArray().Select(f => (double)f).ToArray();
        var encodedFeatures = NaiveLayers.Affine(Lookup, "extractors.features.2", [.. NaiveLayers.Affine(Lookup, "extractors.features.0", features).Select(Math.Tanh)]).Select(Math.Tanh);
        var encodedFrames = NaiveLayers.Cnn(Lookup, "extractors.frames", pixels, Channels, Size);
        return NaiveLayers.Affine(Lookup, "head", [.. encodedFeatures, .. encodedFrames]);
    }

    // Biases drawn away from zero, so every ReLU sees both signs and every bias gradient is exercised.
    private static MultiInputQNetwork RandomizedNetwork(Random random)
    {
        var network = new MultiInputQNetwork(_space, Actions, random, Hidden);
        foreach (var named in network.NamedParameters().Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)))
        {
            var span = named.Parameter.Value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)((random.NextDouble() * 0.2) - 0.1);
            }
        }

        return network;
    }

    private static Parameter Parameter(MultiInputQNetwork network, string name) => network.NamedParameters().Single(p => p.Name == name).Parameter;

    private static byte[] Observations(Random random, int batch)
    {
        var observations = new byte[batch * _space.FlatSize];
        for (var b = 0; b < batch; b++)
        {
            _space.Sample(random, observations.AsSpan(b * _space.FlatSize, _space.FlatSize));
        }

        return observations;
    }
}

using System.Text.Json;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Replay;
using Tempo.Algorithms.Tests.Replay;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Dqn;

/// <summary>dqn_atari.py's Q-network over byte frames and one TD step against PyTorch (generate_offpolicy.py's dqn_atari()).</summary>
public sealed class DqnAtariFixtureTests
{
    // float32 sums of up to 2·8·8 = 128 products per conv1 output, then 64 and 16 deep: 1e-4 relative holds torch's rounding with room.
    private const double Relative = 1e-4;
    private const double Absolute = 1e-5;

    [Fact]
    public void ForwardOnByteFramesMatchesTorch()
    {
        using var document = OffPolicyFixtures.Load("dqn_atari.json");
        var fixture = document.RootElement;
        var (network, batch) = Network(fixture);
        var observations = Bytes(fixture, "observations");

        var q = network.Forward(observations, batch).Span;

        AssertClose(FixtureTensor.Read(fixture, "q").Data, q, "q");
    }

    [Fact]
    public void GradientStepOnByteFramesMatchesTorch()
    {
        using var document = OffPolicyFixtures.Load("dqn_atari.json");
        var fixture = document.RootElement;
        var (online, size) = Network(fixture);
        var learner = new DqnLearner<byte, NatureQNetwork>(online, new DqnOptions { BatchSize = size, BufferSize = size, Gamma = fixture.GetProperty("gamma").GetDouble() }, 1_000, new RandomSource(1));
        Load(learner.Target, fixture.GetProperty("target"));
        var batch = new ReplayBatch<byte, int>(size, online.ObservationSize, 1);
        Bytes(fixture, "observations").CopyTo(batch.Observations, 0);
        Bytes(fixture, "next_observations").CopyTo(batch.NextObservations, 0);
        FixtureTensor.Read(fixture, "actions").Data.Select(x => (int)x).ToArray().CopyTo(batch.Actions, 0);
        FixtureTensor.Read(fixture, "rewards").Floats.CopyTo(batch.Rewards, 0);
        FixtureTensor.Read(fixture, "discounts").Floats.CopyTo(batch.Discounts, 0);
        batch.Weights.AsSpan().Fill(1f);

        var loss = learner.ComputeGradients(batch, new float[size], out _);

        AssertClose([fixture.GetProperty("loss").GetDouble()], [loss], "loss");
        var gradients = fixture.GetProperty("gradients");
        var compared = 0;
        foreach (var parameter in online.NamedParameters())
        {
            if (gradients.TryGetProperty(parameter.Name, out _))
            {
                compared++;
                AssertClose(FixtureTensor.Read(gradients, parameter.Name).Data, parameter.Parameter.Gradient.Span, parameter.Name);
            }
        }

        Assert.Equal(gradients.EnumerateObject().Count(), compared);
    }

    [Fact]
    public void ReplayKeepsEachStackedFrameOnce()
    {
        using var document = OffPolicyFixtures.Load("dqn_atari.json");
        var (online, _) = Network(document.RootElement);
        var learner = new DqnLearner<byte, NatureQNetwork>(online, new DqnOptions { BufferSize = 1_000 }, 1_000, new RandomSource(1));

        Assert.Equal(online.FramesPerObservation, learner.Replay.Options.FramesPerObservation);
    }

    private static (NatureQNetwork Network, int Batch) Network(JsonElement fixture)
    {
        var size = fixture.GetProperty("size").GetInt32();
        var network = new NatureQNetwork(fixture.GetProperty("channels").GetInt32(), size, size, fixture.GetProperty("actions_count").GetInt32(), new Random(1), fixture.GetProperty("hidden").GetInt32());
        Load(network, fixture.GetProperty("online"));
        return (network, FixtureTensor.Read(fixture, "rewards").Data.Length);
    }

    private static byte[] Bytes(JsonElement fixture, string name) => [.. FixtureTensor.Read(fixture, name).Data.Select(x => (byte)x)];

    private static void Load(NatureQNetwork network, JsonElement stateDict)
    {
        foreach (var parameter in network.NamedParameters())
        {
            FixtureTensor.Read(stateDict, parameter.Name).Floats.CopyTo(parameter.Parameter.Value.Span);
        }
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Absolute + (Relative * Math.Abs(expected[i])), $"{what}[{i}]: torch {expected[i]}, ours {actual[i]}");
        }
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;

namespace Tempo.Runtime.Tests.Segments;

/// <summary>Segments filled with seeded random content, and a field-by-field comparison.</summary>
internal static class SegmentSamples
{
    public static Segment<TObservation, TAction> Create<TObservation, TAction>(
        SegmentLayout layout,
        int seed,
        Func<Random, TObservation> observation,
        Func<Random, TAction> action,
        double truncationProbability = 0.1,
        int episodes = 3)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var segment = new Segment<TObservation, TAction>(layout);
        Fill(segment, seed, observation, action, truncationProbability, episodes);
        return segment;
    }

    public static void Fill<TObservation, TAction>(
        Segment<TObservation, TAction> segment,
        int seed,
        Func<Random, TObservation> observation,
        Func<Random, TAction> action,
        double truncationProbability = 0.1,
        int episodes = 3)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var random = new Random(seed);
        segment.Clear();
        segment.Actor = new ActorId(random.Next(0, 64));
        segment.BehaviourVersion = new PolicyVersion(random.Next(0, 1000));
        segment.Sequence = random.NextInt64(0, 1L << 40);
        segment.ActorSteps = random.NextInt64(0, 1L << 50);
        FillWith(segment.Observations, random, observation);
        FillWith(segment.BootstrapObservations, random, observation);
        FillWith(segment.Actions, random, action);
        FillWith(segment.Rewards, random, r => (float)(r.NextDouble() * 2 - 1));
        FillWith(segment.BehaviourLogProbs, random, r => (float)-r.NextDouble() * 3);
        FillWith(segment.BehaviourValues, random, r => (float)(r.NextDouble() * 10));
        for (var i = 0; i < segment.Layout.Transitions; i++)
        {
            segment.Terminated[i] = random.NextDouble() < 0.05;
            segment.Truncated[i] = random.NextDouble() < truncationProbability;
        }

        // Final observations everywhere: the codec must carry only the truncated ones.
        FillWith(segment.FinalObservations, random, observation);
        for (var e = 0; e < episodes; e++)
        {
            segment.Episodes.Add(new SegmentEpisode(random.Next(segment.Layout.Envs), new EpisodeStatistics(random.NextDouble() * 500, random.Next(1, 1000), random.NextDouble() * 60)));
        }
    }

    public static float RandomFloat(Random random) => (float)(random.NextDouble() * 20 - 10);

    public static byte RandomByte(Random random) => (byte)random.Next(256);

    /// <summary>Asserts every field is equal; final observations only where the step was truncated, zero elsewhere in <paramref name="decoded"/>.</summary>
    public static void AssertEquivalent<TObservation, TAction>(Segment<TObservation, TAction> expected, Segment<TObservation, TAction> decoded)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        Assert.Equal(expected.Layout, decoded.Layout);
        Assert.Equal(expected.Actor, decoded.Actor);
        Assert.Equal(expected.BehaviourVersion, decoded.BehaviourVersion);
        Assert.Equal(expected.Sequence, decoded.Sequence);
        Assert.Equal(expected.ActorSteps, decoded.ActorSteps);
        Assert.Equal(expected.Observations.ToArray(), decoded.Observations.ToArray());
        Assert.Equal(expected.BootstrapObservations.ToArray(), decoded.BootstrapObservations.ToArray());
        Assert.Equal(expected.Actions.ToArray(), decoded.Actions.ToArray());
        Assert.Equal(expected.Rewards.ToArray(), decoded.Rewards.ToArray());
        Assert.Equal(expected.BehaviourLogProbs.ToArray(), decoded.BehaviourLogProbs.ToArray());
        Assert.Equal(expected.BehaviourValues.ToArray(), decoded.BehaviourValues.ToArray());
        Assert.Equal(expected.Terminated.ToArray(), decoded.Terminated.ToArray());
        Assert.Equal(expected.Truncated.ToArray(), decoded.Truncated.ToArray());
        Assert.Equal(expected.Episodes, decoded.Episodes);
        var size = expected.Layout.ObservationSize;
        for (var i = 0; i < expected.Layout.Transitions; i++)
        {
            var decodedFinal = decoded.FinalObservations.Slice(i * size, size).ToArray();
            if (expected.Truncated[i])
            {
                Assert.Equal(expected.FinalObservations.Slice(i * size, size).ToArray(), decodedFinal);
            }
            else
            {
                Assert.All(decodedFinal, value => Assert.Equal(default, value));
            }
        }
    }

    private static void FillWith<T>(Span<T> destination, Random random, Func<Random, T> next)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = next(random);
        }
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Spaces;
using Tempo.Runtime.Tests.Segments;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Tests.Transport.Wire;

public sealed class SegmentCodecDictTests
{
    [Fact]
    public void RoundTrip_DictObservationsOfBytes_RestoresEveryPartBitExactly()
    {
        // A dict observation travels as its bytes: a SegmentCodec<byte, int> carries it with no dict-specific code.
        var space = (DictSpace)new Catch(new CatchOptions { FrameHeight = 12, FrameWidth = 6, PositionFeatures = true }).ObservationSpace;
        var layout = new SegmentLayout(Steps: 8, Envs: 2, ObservationSize: space.FlatSize, ActionSize: 1);
        var codec = new SegmentCodec<byte, int>(SegmentCodecTests.Run, layout, discreteActionCount: 3);
        var segment = SegmentSamples.Create(layout, seed: 7, SegmentSamples.RandomByte, random => random.Next(3), truncationProbability: 0.25, episodes: 2);
        var random = new Random(8);
        FillWithMembers(space, segment.Observations, random);
        FillWithMembers(space, segment.BootstrapObservations, random);
        for (var t = 0; t < layout.Transitions; t++)
        {
            var final = segment.FinalObservations.Slice(t * space.FlatSize, space.FlatSize);
            if (segment.Truncated[t])
            {
                space.Sample(random, final);
            }
            else
            {
                final.Clear();
            }
        }

        var bytes = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, bytes);
        var decoded = new Segment<byte, int>(layout);

        Assert.True(codec.TryDecode(bytes, decoded, out var reason), reason.ToString());
        SegmentSamples.AssertEquivalent(segment, decoded);
        Assert.Equal(segment.Observations.ToArray(), decoded.Observations.ToArray());
        var features = space[Catch.FeaturesPart];
        for (var i = 0; i < layout.Transitions; i++)
        {
            var observation = decoded.Observations.Slice(i * space.FlatSize, space.FlatSize);
            Assert.True(space.Contains(observation));
            Assert.Equal(
                features.Read<float>(segment.Observations.Slice(i * space.FlatSize, space.FlatSize)).ToArray(),
                features.Read<float>(observation).ToArray());
        }
    }

    private static void FillWithMembers(DictSpace space, Span<byte> observations, Random random)
    {
        for (var offset = 0; offset < observations.Length; offset += space.FlatSize)
        {
            space.Sample(random, observations.Slice(offset, space.FlatSize));
        }
    }
}

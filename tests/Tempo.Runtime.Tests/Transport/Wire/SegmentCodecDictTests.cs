using Tempo.Algorithms.Experience;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Runtime.Tests.Segments;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Tests.Transport.Wire;

/// <summary>A codec given a dict space checks each float part of each observation for NaN, which the byte array it travels as cannot show.</summary>
public sealed class SegmentCodecDictTests
{
    private static readonly DictSpace _space = CatchFeaturesSpace();
    private static readonly SegmentLayout _layout = new(Steps: 6, Envs: 2, ObservationSize: _space.FlatSize, ActionSize: 1);

    [Fact]
    public void RoundTrip_ValidCatchFeaturesSegment_RestoresEveryField()
    {
        var codec = new SegmentCodec<byte, int>(SegmentCodecTests.Run, _layout, discreteActionCount: 3, observationSpace: _space);
        var segment = ValidSegment(seed: 1);
        var decoded = new Segment<byte, int>(_layout);

        Assert.True(codec.TryDecode(Encode(codec, segment), decoded, out var reason), reason.ToString());
        SegmentSamples.AssertEquivalent(segment, decoded);
    }

    [Theory]
    [InlineData("observation")]
    [InlineData("bootstrap")]
    [InlineData("final")]
    public void TryDecode_NaNInTheFeaturesPart_IsRejectedAndCounted(string where)
    {
        var codec = new SegmentCodec<byte, int>(SegmentCodecTests.Run, _layout, discreteActionCount: 3, observationSpace: _space);
        var segment = ValidSegment(seed: 2);
        var features = _space["features"];
        var observation = where switch
        {
            "observation" => segment.Observations.Slice(5 * _space.FlatSize, _space.FlatSize),
            "bootstrap" => segment.BootstrapObservations.Slice(_space.FlatSize, _space.FlatSize),
            _ => segment.FinalObservations.Slice(FirstTruncation(segment) * _space.FlatSize, _space.FlatSize),
        };
        features.Get<float>(observation)[1] = float.NaN;
        var target = new Segment<byte, int>(_layout);

        Assert.False(codec.TryDecode(Encode(codec, segment), target, out var reason));
        Assert.Equal(SegmentRejection.NaNInDictPart, reason);
        Assert.Equal(1, codec.Rejected(SegmentRejection.NaNInDictPart));
        Assert.Equal(0, codec.Rejected(SegmentRejection.InvalidValue));
        Assert.Equal(new byte[_layout.Transitions * _space.FlatSize], target.Observations.ToArray());
    }

    [Fact]
    public void TryDecode_WithoutTheSpace_CannotSeeTheNaN()
    {
        // Why the space is needed: as bytes, a NaN is just four bytes.
        var codec = new SegmentCodec<byte, int>(SegmentCodecTests.Run, _layout, discreteActionCount: 3);
        var segment = ValidSegment(seed: 3);
        _space["features"].Get<float>(segment.Observations.Slice(0, _space.FlatSize))[0] = float.NaN;

        Assert.True(codec.TryDecode(Encode(codec, segment), new Segment<byte, int>(_layout), out _));
    }

    [Fact]
    public void Constructor_SpaceOfAnotherSize_ThrowsNamingBothSizes()
    {
        var other = new SegmentLayout(6, 2, _space.FlatSize + 4, 1);

        var error = Assert.Throws<ArgumentException>(() => new SegmentCodec<byte, int>(SegmentCodecTests.Run, other, observationSpace: _space));

        Assert.Contains($"{_space.FlatSize} Byte", error.Message);
        Assert.Contains($"{_space.FlatSize + 4} Byte", error.Message);
    }

    private static DictSpace CatchFeaturesSpace()
    {
        using var env = EnvRegistry.CreateDefault().Make<byte, int>("CatchFeatures-v0", new CatchOptions { FrameHeight = 12, FrameWidth = 12 });
        return Assert.IsType<DictSpace>(env.ObservationSpace);
    }

    /// <summary>A random segment whose every observation is a member of the space (no NaN in any float part), with some truncations.</summary>
    private static Segment<byte, int> ValidSegment(int seed)
    {
        var segment = SegmentSamples.Create(_layout, seed, SegmentSamples.RandomByte, random => random.Next(3), truncationProbability: 0.3);
        var random = new Random(seed);
        SampleAll(segment.Observations, random);
        SampleAll(segment.BootstrapObservations, random);
        SampleAll(segment.FinalObservations, random);
        Assert.True(FirstTruncation(segment) >= 0);
        return segment;
    }

    private static void SampleAll(Span<byte> observations, Random random)
    {
        for (var start = 0; start < observations.Length; start += _space.FlatSize)
        {
            _space.Sample(random, observations.Slice(start, _space.FlatSize));
        }
    }

    private static int FirstTruncation(Segment<byte, int> segment) => segment.Truncated.IndexOf(true);

    private static byte[] Encode(SegmentCodec<byte, int> codec, Segment<byte, int> segment)
    {
        var bytes = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, bytes);
        return bytes;
    }
}

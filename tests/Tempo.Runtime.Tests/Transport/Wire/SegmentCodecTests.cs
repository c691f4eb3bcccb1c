using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tempo.Algorithms.Experience;
using Tempo.Core.Envs;
using Tempo.Runtime.Tests.Checksums;
using Tempo.Runtime.Tests.Segments;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Transport.Wire;

public sealed class SegmentCodecTests
{
    internal static readonly RunId Run = new(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
    internal static readonly SegmentLayout CartPole = new(Steps: 128, Envs: 4, ObservationSize: 4, ActionSize: 1);

    private static byte[] Encode<TObservation, TAction>(SegmentCodec<TObservation, TAction> codec, Segment<TObservation, TAction> segment)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var bytes = new byte[codec.GetEncodedLength(segment)];
        Assert.Equal(bytes.Length, codec.Encode(segment, bytes));
        return bytes;
    }

    private static Segment<TObservation, TAction> RoundTrip<TObservation, TAction>(SegmentCodec<TObservation, TAction> codec, Segment<TObservation, TAction> segment)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var decoded = new Segment<TObservation, TAction>(segment.Layout);
        Assert.True(codec.TryDecode(Encode(codec, segment), decoded, out var reason));
        Assert.Equal(SegmentRejection.None, reason);
        return decoded;
    }

    [Fact]
    public void RoundTrip_FloatObservationsAndDiscreteActions_RestoresEveryField()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole, discreteActionCount: 2);
        var segment = SegmentSamples.Create(CartPole, seed: 1, SegmentSamples.RandomFloat, random => random.Next(2), truncationProbability: 0.05, episodes: 5);
        Assert.Contains(true, segment.Truncated.ToArray());

        SegmentSamples.AssertEquivalent(segment, RoundTrip(codec, segment));
    }

    [Fact]
    public void RoundTrip_ByteObservationsAndContinuousActions_RestoresEveryField()
    {
        var layout = new SegmentLayout(Steps: 16, Envs: 3, ObservationSize: 64, ActionSize: 2);
        var codec = new SegmentCodec<byte, float>(Run, layout);
        var segment = SegmentSamples.Create(layout, seed: 2, SegmentSamples.RandomByte, SegmentSamples.RandomFloat, truncationProbability: 0.2);

        SegmentSamples.AssertEquivalent(segment, RoundTrip(codec, segment));
    }

    [Fact]
    public void RoundTrip_DoubleObservationsAndLongActions_RestoresEveryField()
    {
        var layout = new SegmentLayout(Steps: 5, Envs: 2, ObservationSize: 3, ActionSize: 3);
        var codec = new SegmentCodec<double, long>(Run, layout, discreteActionCount: 7);
        var segment = SegmentSamples.Create(layout, seed: 3, random => random.NextDouble(), random => random.NextInt64(7), truncationProbability: 0.3);

        SegmentSamples.AssertEquivalent(segment, RoundTrip(codec, segment));
    }

    [Fact]
    public void RoundTrip_EveryStepTruncatedAndEndingAnEpisode_FillsTheLargestMessage()
    {
        var layout = new SegmentLayout(Steps: 4, Envs: 2, ObservationSize: 3, ActionSize: 1);
        var codec = new SegmentCodec<float, int>(Run, layout);
        var segment = SegmentSamples.Create(layout, seed: 4, SegmentSamples.RandomFloat, random => random.Next(5), truncationProbability: 1, episodes: layout.Transitions);

        Assert.Equal(codec.MaxEncodedLength, codec.GetEncodedLength(segment));
        SegmentSamples.AssertEquivalent(segment, RoundTrip(codec, segment));
    }

    [Fact]
    public void TryDecode_IntoAReusedSegment_ReplacesEveryStaleField()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole);
        var segment = SegmentSamples.Create(CartPole, seed: 5, SegmentSamples.RandomFloat, random => random.Next(2), truncationProbability: 0.01, episodes: 1);
        var reused = SegmentSamples.Create(CartPole, seed: 6, SegmentSamples.RandomFloat, random => random.Next(2), truncationProbability: 0.5, episodes: 9);

        Assert.True(codec.TryDecode(Encode(codec, segment), reused, out _));

        SegmentSamples.AssertEquivalent(segment, reused);
    }

    [Fact]
    public void Encode_ToABufferWriter_WritesTheSameBytesAsToASpan()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole);
        var segment = SegmentSamples.Create(CartPole, seed: 7, SegmentSamples.RandomFloat, random => random.Next(2));
        var writer = new ArrayBufferWriter<byte>();
        writer.Write<byte>([0xAB]);

        var written = codec.Encode(segment, writer);

        Assert.Equal(codec.GetEncodedLength(segment), written);
        Assert.Equal(Encode(codec, segment), writer.WrittenSpan[1..].ToArray());
    }

    [Fact]
    public void GetEncodedLength_CartPoleSegment_MatchesTheDocumentedSizes()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole);
        var segment = new Segment<float, int>(CartPole);

        // 80 header + 512×4 float32 observations + 4×4 bootstrap + 512 int32 actions + 3×512 float32 + 2×512 flags + 4 CRC.
        Assert.Equal(80 + 8192 + 64 + 2048 + 6144 + 1024 + 4, codec.GetEncodedLength(segment));

        segment.Truncated[10] = segment.Truncated[20] = segment.Truncated[511] = true;
        segment.Episodes.Add(new SegmentEpisode(0, new EpisodeStatistics(1, 1, 0)));
        segment.Episodes.Add(new SegmentEpisode(3, new EpisodeStatistics(2, 2, 0)));

        // Each truncation adds index (4) + observation (16); each episode 32.
        Assert.Equal(17556 + (3 * 20) + (2 * 32), codec.GetEncodedLength(segment));
    }

    [Fact]
    public void Encode_Bytes_FollowTheDocumentedFieldTable()
    {
        var layout = new SegmentLayout(Steps: 3, Envs: 2, ObservationSize: 2, ActionSize: 1);
        var codec = new SegmentCodec<float, int>(Run, layout);
        var segment = SegmentSamples.Create(layout, seed: 8, SegmentSamples.RandomFloat, random => random.Next(4), truncationProbability: 0, episodes: 0);
        segment.Truncated[4] = true;
        segment.FinalObservations[8] = 1.5f;
        segment.FinalObservations[9] = -2.5f;
        segment.Episodes.Add(new SegmentEpisode(1, new EpisodeStatistics(12.5, 7, 0.75, XReached: 1234.5)));

        var bytes = Encode(codec, segment);

        Assert.Equal("TSEG", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1, bytes[6]);
        Assert.Equal(9, bytes[7]);
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), bytes[12..28]);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(segment.Actor.Value, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(44)));
        Assert.Equal(segment.BehaviourVersion.Value, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(48)));
        Assert.Equal(segment.Sequence, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(56)));
        Assert.Equal(segment.ActorSteps, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(64)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(72)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(76)));

        // Dense arrays, in table order: observations [6×2], bootstrap [2×2], actions [6], rewards, log-probs, values [6 each], terminated, truncated [6 bytes each].
        var offset = 80;
        for (var i = 0; i < 12; i++, offset += 4)
        {
            Assert.Equal(segment.Observations[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset)));
        }

        for (var i = 0; i < 4; i++, offset += 4)
        {
            Assert.Equal(segment.BootstrapObservations[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset)));
        }

        for (var i = 0; i < 6; i++, offset += 4)
        {
            Assert.Equal(segment.Actions[i], BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset)));
        }

        foreach (var array in new[] { segment.Rewards.ToArray(), segment.BehaviourLogProbs.ToArray(), segment.BehaviourValues.ToArray() })
        {
            for (var i = 0; i < 6; i++, offset += 4)
            {
                Assert.Equal(array[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset)));
            }
        }

        for (var i = 0; i < 6; i++, offset++)
        {
            Assert.Equal(segment.Terminated[i] ? 1 : 0, bytes[offset]);
        }

        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 0 }, bytes[offset..(offset + 6)]);
        offset += 6;

        // Sparse truncations: index 4, observation (1.5, -2.5); then the episode; then the CRC.
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset)));
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + 4)));
        Assert.Equal(-2.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + 8)));
        offset += 12;
        Assert.Equal(12.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset)));
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 8)));
        Assert.Equal(0.75, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset + 12)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 20)));
        Assert.Equal(1234.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset + 24)));
        offset += 32;
        Assert.Equal(bytes.Length - 4, offset);
        Assert.Equal(ReferenceCrc32C.Compute(bytes.AsSpan(0, offset)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
    }

    [Fact]
    public void EncodeAndTryDecode_SteadyState_AllocateNothing()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole, discreteActionCount: 2);
        var segment = SegmentSamples.Create(CartPole, seed: 9, SegmentSamples.RandomFloat, random => random.Next(2));
        var target = new Segment<float, int>(CartPole);
        var buffer = new byte[codec.MaxEncodedLength];

        void RoundTrip()
        {
            var length = codec.Encode(segment, buffer);
            codec.TryDecode(buffer.AsSpan(0, length), target, out _);
        }

        Assert.Equal(0, Allocations.OnThisThread(RoundTrip, warmUp: 1, repetitions: 200));
    }

    [Fact]
    public void Encode_DestinationTooShort_ThrowsNamingBothSizes()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole);
        var segment = new Segment<float, int>(CartPole);

        var error = Assert.Throws<ArgumentException>(() => codec.Encode(segment, new byte[100]));

        Assert.Contains("100", error.Message);
        Assert.Contains("17556", error.Message);
    }

    [Fact]
    public void Encode_SegmentOfAnotherLayout_Throws()
    {
        var codec = new SegmentCodec<float, int>(Run, CartPole);
        var segment = new Segment<float, int>(CartPole with { Envs = 8 });

        Assert.Throws<ArgumentException>(() => codec.Encode(segment, new byte[codec.MaxEncodedLength * 2]));
        Assert.Throws<ArgumentException>(() => codec.TryDecode(new byte[10], segment, out _));
    }

    [Fact]
    public void Encode_MoreEpisodesThanTransitions_Throws()
    {
        var layout = new SegmentLayout(1, 1, 1, 1);
        var codec = new SegmentCodec<float, int>(Run, layout);
        var segment = new Segment<float, int>(layout);
        segment.Episodes.Add(new SegmentEpisode(0, new EpisodeStatistics(1, 1, 1)));
        segment.Episodes.Add(new SegmentEpisode(0, new EpisodeStatistics(1, 1, 1)));

        Assert.Throws<ArgumentException>(() => codec.Encode(segment, new byte[1024]));
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => new SegmentCodec<float, int>(default, CartPole));
        Assert.Throws<NotSupportedException>(() => new SegmentCodec<bool, int>(Run, CartPole));
        Assert.Throws<NotSupportedException>(() => new SegmentCodec<float, char>(Run, CartPole));
        Assert.Throws<ArgumentException>(() => new SegmentCodec<float, float>(Run, CartPole, discreteActionCount: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentCodec<float, int>(Run, CartPole, discreteActionCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentCodec<float, byte>(Run, CartPole, discreteActionCount: 257));
        Assert.Equal(256, new SegmentCodec<float, byte>(Run, CartPole, discreteActionCount: 256).DiscreteActionCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentCodec<float, int>(Run, CartPole with { ObservationSize = 0 }));
    }

    [Theory]
    [InlineData(typeof(float), WireElementType.Float32, 4)]
    [InlineData(typeof(double), WireElementType.Float64, 8)]
    [InlineData(typeof(Half), WireElementType.Float16, 2)]
    [InlineData(typeof(byte), WireElementType.UInt8, 1)]
    [InlineData(typeof(sbyte), WireElementType.Int8, 1)]
    [InlineData(typeof(ushort), WireElementType.UInt16, 2)]
    [InlineData(typeof(short), WireElementType.Int16, 2)]
    [InlineData(typeof(uint), WireElementType.UInt32, 4)]
    [InlineData(typeof(int), WireElementType.Int32, 4)]
    [InlineData(typeof(ulong), WireElementType.UInt64, 8)]
    [InlineData(typeof(long), WireElementType.Int64, 8)]
    public void ElementTypeOf_EverySupportedType_HasItsCodeAndSize(Type type, WireElementType expected, int size)
    {
        var method = typeof(SegmentWireFormat).GetMethod(nameof(SegmentWireFormat.ElementTypeOf))!.MakeGenericMethod(type);

        Assert.Equal(expected, (WireElementType?)method.Invoke(null, null));
        Assert.Equal(size, SegmentWireFormat.ElementSize(expected));
    }
}

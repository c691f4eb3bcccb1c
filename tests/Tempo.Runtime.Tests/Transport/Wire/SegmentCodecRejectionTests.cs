using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Runtime.Tests.Checksums;
using Tempo.Runtime.Tests.Segments;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Tests.Transport.Wire;

public sealed class SegmentCodecRejectionTests
{
    internal static readonly SegmentLayout Small = new(Steps: 3, Envs: 2, ObservationSize: 3, ActionSize: 1);
    private static readonly RunId _run = SegmentCodecTests.Run;

    // Offsets in the small layout's message, from the field table in docs/formats/segment.md.
    private const int Transitions = 6;
    private const int RewardsOffset = 80 + (Transitions * 12) + (2 * 12) + (Transitions * 4);
    private const int LogProbsOffset = RewardsOffset + (Transitions * 4);
    private const int TerminatedOffset = LogProbsOffset + (2 * Transitions * 4);
    private const int TruncatedOffset = TerminatedOffset + Transitions;
    private const int SparseOffset = TruncatedOffset + Transitions;

    internal static SegmentCodec<float, int> Codec(RunId? run = null) => new(run ?? _run, Small, discreteActionCount: 4);

    /// <summary>A small segment with steps 1 and 4 truncated and two finished episodes.</summary>
    internal static Segment<float, int> Sample()
    {
        var segment = SegmentSamples.Create(Small, seed: 11, SegmentSamples.RandomFloat, random => random.Next(4), truncationProbability: 0, episodes: 2);
        segment.Truncated[1] = true;
        segment.Truncated[4] = true;
        return segment;
    }

    internal static byte[] Encode(Segment<float, int> segment, SegmentCodec<float, int>? codec = null)
    {
        codec ??= Codec();
        var bytes = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, bytes);
        return bytes;
    }

    /// <summary>Recomputes the trailing CRC with the reference implementation, so a deliberate change reaches the checks behind it.</summary>
    internal static byte[] Reseal(byte[] message)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(message.Length - 4), ReferenceCrc32C.Compute(message.AsSpan(0, message.Length - 4)));
        return message;
    }

    internal static byte[] Fingerprint(Segment<float, int> segment) =>
    [
        .. MemoryMarshal.AsBytes(segment.Observations),
        .. MemoryMarshal.AsBytes(segment.BootstrapObservations),
        .. MemoryMarshal.AsBytes(segment.Actions),
        .. MemoryMarshal.AsBytes(segment.Rewards),
        .. MemoryMarshal.AsBytes(segment.BehaviourLogProbs),
        .. MemoryMarshal.AsBytes(segment.BehaviourValues),
        .. MemoryMarshal.AsBytes(segment.Terminated),
        .. MemoryMarshal.AsBytes(segment.Truncated),
        .. MemoryMarshal.AsBytes(segment.FinalObservations),
        .. MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(segment.Episodes)),
        .. BitConverter.GetBytes(segment.Actor.Value),
        .. BitConverter.GetBytes(segment.BehaviourVersion.Value),
        .. BitConverter.GetBytes(segment.Sequence),
        .. BitConverter.GetBytes(segment.ActorSteps),
    ];

    private static void AssertRejected(byte[] message, SegmentRejection expected, SegmentCodec<float, int>? codec = null)
    {
        codec ??= Codec();
        var target = SegmentSamples.Create(Small, seed: 99, SegmentSamples.RandomFloat, random => random.Next(4));
        var before = Fingerprint(target);

        Assert.False(codec.TryDecode(message, target, out var reason));

        Assert.Equal(expected, reason);
        Assert.Equal(before, Fingerprint(target));
    }

    private static void AssertAccepted(byte[] message)
    {
        Assert.True(Codec().TryDecode(message, new Segment<float, int>(Small), out var reason), $"Rejected: {reason}");
    }

    [Fact]
    public void TryDecode_TheSample_IsAccepted()
    {
        AssertAccepted(Encode(Sample()));
    }

    [Fact]
    public void TryDecode_EveryStrictPrefix_IsRejectedAsTruncated()
    {
        var message = Encode(Sample());

        for (var length = 0; length < message.Length; length++)
        {
            AssertRejected(message[..length], SegmentRejection.Truncated);
        }
    }

    [Fact]
    public void TryDecode_CartPolePrefixesAtManyOffsets_AreRejectedAsTruncated()
    {
        var codec = new SegmentCodec<float, int>(_run, SegmentCodecTests.CartPole);
        var segment = SegmentSamples.Create(SegmentCodecTests.CartPole, seed: 12, SegmentSamples.RandomFloat, random => random.Next(2));
        var message = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, message);
        var target = new Segment<float, int>(SegmentCodecTests.CartPole);

        for (var length = 0; length < message.Length; length += length < 100 ? 1 : 97)
        {
            Assert.False(codec.TryDecode(message.AsSpan(0, length), target, out var reason));
            Assert.Equal(SegmentRejection.Truncated, reason);
        }

        Assert.False(codec.TryDecode(message.AsSpan(0, message.Length - 1), target, out var last));
        Assert.Equal(SegmentRejection.Truncated, last);
    }

    [Fact]
    public void TryDecode_TrailingBytes_AreRejectedAsLengthMismatch()
    {
        AssertRejected([.. Encode(Sample()), 0], SegmentRejection.LengthMismatch);
    }

    [Fact]
    public void TryDecode_EveryByteFlipped_IsRejectedForTheFieldItHit()
    {
        var message = Encode(Sample());

        for (var offset = 0; offset < message.Length; offset++)
        {
            var damaged = (byte[])message.Clone();
            damaged[offset] ^= 0xFF;
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(damaged.AsSpan(8));
            var expected = offset switch
            {
                < 4 => SegmentRejection.WrongMagic,
                < 6 => SegmentRejection.UnsupportedSchemaVersion,
                >= 8 and < 12 => declared > message.Length ? SegmentRejection.Truncated : SegmentRejection.LengthMismatch,
                _ => SegmentRejection.ChecksumMismatch,
            };

            AssertRejected(damaged, expected);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(0xFFFF)]
    public void TryDecode_OtherSchemaVersion_IsRejectedEvenWithAValidChecksum(int version)
    {
        var message = Encode(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)version);

        AssertRejected(Reseal(message), SegmentRejection.UnsupportedSchemaVersion);
    }

    [Fact]
    public void TryDecode_DeclaredLengthShorterThanAHeader_IsRejectedAsLengthMismatch()
    {
        var message = Encode(Sample());
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), 10);

        AssertRejected(message, SegmentRejection.LengthMismatch);
    }

    [Fact]
    public void TryDecode_SegmentOfAnotherRun_IsRejectedAsForeign()
    {
        var message = Encode(Sample(), Codec(RunId.NewUnique()));

        AssertRejected(message, SegmentRejection.ForeignRun);
    }

    [Fact]
    public void TryDecode_OtherObservationElementType_IsRejected()
    {
        var byteCodec = new SegmentCodec<byte, int>(_run, Small);
        var segment = SegmentSamples.Create(Small, seed: 13, SegmentSamples.RandomByte, random => random.Next(4));
        var message = new byte[byteCodec.GetEncodedLength(segment)];
        byteCodec.Encode(segment, message);

        AssertRejected(message, SegmentRejection.ElementTypeMismatch);
    }

    [Fact]
    public void TryDecode_OtherActionElementType_IsRejected()
    {
        var longCodec = new SegmentCodec<float, long>(_run, Small);
        var segment = SegmentSamples.Create(Small, seed: 14, SegmentSamples.RandomFloat, random => random.NextInt64(4));
        var message = new byte[longCodec.GetEncodedLength(segment)];
        longCodec.Encode(segment, message);

        AssertRejected(message, SegmentRejection.ElementTypeMismatch);
    }

    [Theory]
    [InlineData(2, 3, 3, 1)]
    [InlineData(3, 2, 4, 1)]
    [InlineData(3, 2, 3, 2)]
    [InlineData(6, 1, 3, 1)]
    public void TryDecode_OtherLayout_IsRejected(int steps, int envs, int observationSize, int actionSize)
    {
        var layout = new SegmentLayout(steps, envs, observationSize, actionSize);
        var codec = new SegmentCodec<float, int>(_run, layout);
        var segment = SegmentSamples.Create(layout, seed: 15, SegmentSamples.RandomFloat, random => random.Next(4));
        var message = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, message);

        AssertRejected(message, SegmentRejection.LayoutMismatch);
    }

    public static TheoryData<string> InvalidSegments =>
    [
        "NaN reward", "+Inf reward", "-Inf reward", "NaN log-prob", "-Inf log-prob", "NaN value",
        "NaN observation", "NaN bootstrap observation", "NaN final observation", "action = count", "action = -1",
        "negative actor", "negative version", "negative sequence",
        "episode of length 0", "NaN episode return", "infinite episode return", "negative wall time", "NaN wall time", "episode in env N", "negative env", "negative actor steps",
        "infinite x reached", "x reached NaN not the canonical one",
    ];

    [Theory]
    [MemberData(nameof(InvalidSegments))]
    public void TryDecode_SegmentWithAnInvalidValue_IsRejected(string problem)
    {
        var segment = Sample();
        Action spoil = problem switch
        {
            "NaN reward" => () => segment.Rewards[3] = float.NaN,
            "+Inf reward" => () => segment.Rewards[0] = float.PositiveInfinity,
            "-Inf reward" => () => segment.Rewards[5] = float.NegativeInfinity,
            "NaN log-prob" => () => segment.BehaviourLogProbs[2] = float.NaN,
            "-Inf log-prob" => () => segment.BehaviourLogProbs[2] = float.NegativeInfinity,
            "NaN value" => () => segment.BehaviourValues[1] = float.NaN,
            "NaN observation" => () => segment.Observations[7] = float.NaN,
            "NaN bootstrap observation" => () => segment.BootstrapObservations[5] = float.NaN,
            "NaN final observation" => () => segment.FinalObservations[(1 * 3) + 2] = float.NaN,
            "action = count" => () => segment.Actions[0] = 4,
            "action = -1" => () => segment.Actions[5] = -1,
            "negative actor" => () => segment.Actor = new ActorId(-1),
            "negative version" => () => segment.BehaviourVersion = new PolicyVersion(-1),
            "negative sequence" => () => segment.Sequence = -1,
            "episode of length 0" => () => SpoilEpisode(segment, 0, e => e with { Length = 0 }),
            "NaN episode return" => () => SpoilEpisode(segment, 1, e => e with { Return = double.NaN }),
            "infinite episode return" => () => SpoilEpisode(segment, 1, e => e with { Return = double.PositiveInfinity }),
            "negative wall time" => () => SpoilEpisode(segment, 0, e => e with { WallTimeSeconds = -0.5 }),
            "NaN wall time" => () => SpoilEpisode(segment, 0, e => e with { WallTimeSeconds = double.NaN }),
            "infinite x reached" => () => SpoilEpisode(segment, 1, e => e with { XReached = double.PositiveInfinity }),
            "x reached NaN not the canonical one" => () => SpoilEpisode(segment, 0, e => e with { XReached = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001) }),
            "episode in env N" => () => segment.Episodes[0] = segment.Episodes[0] with { EnvIndex = segment.Layout.Envs },
            "negative env" => () => segment.Episodes[1] = segment.Episodes[1] with { EnvIndex = -1 },
            "negative actor steps" => () => segment.ActorSteps = -1,
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        spoil();

        AssertRejected(Encode(segment), SegmentRejection.InvalidValue);
    }

    private static void SpoilEpisode(Segment<float, int> segment, int index, Func<EpisodeStatistics, EpisodeStatistics> spoil) =>
        segment.Episodes[index] = segment.Episodes[index] with { Statistics = spoil(segment.Episodes[index].Statistics) };

    [Fact]
    public void TryDecode_ValuesTheFormatAllows_AreAccepted()
    {
        var segment = Sample();
        segment.Observations[0] = float.PositiveInfinity;
        segment.BootstrapObservations[0] = float.NegativeInfinity;

        // Not carried: only truncated steps have final observations.
        segment.FinalObservations[0] = float.NaN;

        AssertAccepted(Encode(segment));
    }

    [Fact]
    public void TryDecode_ActionOutOfRangeWithoutAKnownCount_IsAccepted()
    {
        var segment = Sample();
        segment.Actions[0] = 1000;
        var codec = new SegmentCodec<float, int>(_run, Small);

        Assert.True(codec.TryDecode(Encode(segment, codec), new Segment<float, int>(Small), out _));
    }

    [Fact]
    public void TryDecode_NonFiniteContinuousAction_IsRejected()
    {
        var codec = new SegmentCodec<float, float>(_run, Small);
        var segment = SegmentSamples.Create(Small, seed: 16, SegmentSamples.RandomFloat, SegmentSamples.RandomFloat);
        segment.Actions[2] = float.NaN;
        var message = new byte[codec.GetEncodedLength(segment)];
        codec.Encode(segment, message);

        Assert.False(codec.TryDecode(message, new Segment<float, float>(Small), out var reason));
        Assert.Equal(SegmentRejection.InvalidValue, reason);
    }

    [Theory]
    [InlineData(TerminatedOffset, 2)]
    [InlineData(TerminatedOffset + 5, 0xFF)]
    [InlineData(TruncatedOffset + 1, 2)]
    public void TryDecode_FlagThatIsNeitherZeroNorOne_IsRejected(int offset, byte value)
    {
        var message = Encode(Sample());
        message[offset] = value;

        AssertRejected(Reseal(message), SegmentRejection.InvalidValue);
    }

    [Fact]
    public void TryDecode_TruncationIndexPointingAtAnUntruncatedStep_IsRejected()
    {
        var message = Encode(Sample());
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(SparseOffset)));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(SparseOffset), 0);

        AssertRejected(Reseal(message), SegmentRejection.InvalidValue);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 4)]
    [InlineData(1, 6)]
    [InlineData(-1, 4)]
    public void TryDecode_TruncationIndicesNotStrictlyIncreasingOrOutOfRange_AreRejected(int first, int second)
    {
        var message = Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(SparseOffset), first);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(SparseOffset + 4), second);

        AssertRejected(Reseal(message), SegmentRejection.InvalidValue);
    }

    [Fact]
    public void TryDecode_TruncatedFlagWithoutAnIndex_IsRejected()
    {
        var message = Encode(Sample());
        message[TruncatedOffset + 2] = 1;

        AssertRejected(Reseal(message), SegmentRejection.InvalidValue);
    }

    [Fact]
    public void TryDecode_CountsThatDisagreeWithTheLength_AreRejected()
    {
        var fewerTruncations = Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(fewerTruncations.AsSpan(72), 1);
        AssertRejected(Reseal(fewerTruncations), SegmentRejection.LengthMismatch);

        var moreEpisodes = Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(moreEpisodes.AsSpan(76), 3);
        AssertRejected(Reseal(moreEpisodes), SegmentRejection.LengthMismatch);
    }

    [Theory]
    [InlineData(72, 7)]
    [InlineData(72, -1)]
    [InlineData(76, 7)]
    [InlineData(76, int.MinValue)]
    public void TryDecode_CountsBeyondTheTransitions_AreRejected(int offset, int count)
    {
        var message = Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(offset), count);

        AssertRejected(Reseal(message), SegmentRejection.InvalidValue);
    }

    [Fact]
    public void Decode_RejectedMessage_ThrowsInvalidDataExceptionNamingTheReason()
    {
        var message = Encode(Sample(), Codec(RunId.NewUnique()));

        var error = Assert.Throws<InvalidDataException>(() => Codec().Decode(message, new Segment<float, int>(Small)));

        Assert.Contains("another run", error.Message);
        Assert.Contains(_run.ToString(), error.Message);
    }

    [Fact]
    public void Decode_ValidMessage_FillsTheTarget()
    {
        var segment = Sample();
        var target = new Segment<float, int>(Small);

        Codec().Decode(Encode(segment), target);

        SegmentSamples.AssertEquivalent(segment, target);
    }
}

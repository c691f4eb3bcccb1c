using System.Buffers.Binary;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Tests.Checksums;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Tests.Transport.Wire;

/// <summary>The snapshot codec against the field table in docs/formats/snapshot.md and the rejection order it documents.</summary>
public sealed class PolicySnapshotCodecTests
{
    private static readonly RunId _run = SegmentCodecTests.Run;

    private static PolicySnapshot Sample(int weights = 5) =>
        new(new PolicyVersion(42), Enumerable.Range(0, weights).Select(i => (i * 0.5f) - 1).ToArray());

    private static byte[] Encode(PolicySnapshot snapshot, PolicySnapshotCodec? codec = null)
    {
        codec ??= new PolicySnapshotCodec(_run, snapshot.WeightCount);
        var bytes = new byte[codec.EncodedLength];
        codec.Encode(snapshot, bytes);
        return bytes;
    }

    private static byte[] Reseal(byte[] message)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(message.Length - 4), ReferenceCrc32C.Compute(message.AsSpan(0, message.Length - 4)));
        return message;
    }

    private static void AssertRejected(byte[] message, PolicySnapshotRejection expected, PolicySnapshotCodec? codec = null)
    {
        codec ??= new PolicySnapshotCodec(_run, 5);
        var target = new PolicySnapshot(new PolicyVersion(7), [9f, 9f, 9f, 9f, 9f]);
        Assert.False(codec.TryDecode(message, target, out var reason));
        Assert.Equal(expected, reason);
        Assert.Equal(1, codec.Rejected(expected));
        Assert.Equal(new PolicyVersion(7), target.Version);
        Assert.All(target.Weights.ToArray(), w => Assert.Equal(9f, w));
        var error = Assert.Throws<InvalidDataException>(() => codec.Decode(message, target));
        Assert.StartsWith("Policy snapshot rejected:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_Bytes_FollowTheDocumentedFieldTable()
    {
        var snapshot = Sample();
        var bytes = Encode(snapshot);

        Assert.Equal(44 + (5 * 4), bytes.Length);
        Assert.Equal("TPOL"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), bytes[12..28]);
        Assert.Equal(42, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(36)));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(snapshot.Weights[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(40 + (4 * i))));
        }

        Assert.Equal(ReferenceCrc32C.Compute(bytes.AsSpan(0, 60)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(60)));
    }

    [Fact]
    public void TryDecode_EncodedSnapshot_RoundTrips()
    {
        var snapshot = Sample();
        var codec = new PolicySnapshotCodec(_run, 5);
        var target = new PolicySnapshot(5);

        Assert.True(codec.TryDecode(Encode(snapshot), target, out var reason));

        Assert.Equal(PolicySnapshotRejection.None, reason);
        Assert.Equal(snapshot.Version, target.Version);
        Assert.Equal(snapshot.Weights.ToArray(), target.Weights.ToArray());
    }

    [Fact]
    public void TryDecode_DamagedOrForeignMessages_AreRejectedInTheDocumentedOrder()
    {
        var good = Encode(Sample());
        AssertRejected(good[..3], PolicySnapshotRejection.Truncated);
        AssertRejected([.. "XPOL"u8, .. good[4..]], PolicySnapshotRejection.WrongMagic);

        var version = good.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(version.AsSpan(4), 2);
        AssertRejected(Reseal(version), PolicySnapshotRejection.UnsupportedSchemaVersion);

        AssertRejected(good[..^1], PolicySnapshotRejection.Truncated);
        AssertRejected([.. good, 0], PolicySnapshotRejection.LengthMismatch);

        var flipped = good.ToArray();
        flipped[45] ^= 0x10;
        AssertRejected(flipped, PolicySnapshotRejection.ChecksumMismatch);

        AssertRejected(Encode(Sample(), new PolicySnapshotCodec(RunId.NewUnique(), 5)), PolicySnapshotRejection.ForeignRun);
        AssertRejected(Encode(Sample(6)), PolicySnapshotRejection.WeightCountMismatch);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void TryDecode_NonFiniteWeight_IsRejected(float weight)
    {
        var snapshot = Sample();
        snapshot.Weights[3] = weight;
        AssertRejected(Encode(snapshot), PolicySnapshotRejection.InvalidValue);
    }

    [Fact]
    public void TryDecode_NegativeVersionOrReservedBytes_AreRejected()
    {
        var negative = Encode(Sample());
        BinaryPrimitives.WriteInt64LittleEndian(negative.AsSpan(28), -1);
        AssertRejected(Reseal(negative), PolicySnapshotRejection.InvalidValue);

        var reserved = Encode(Sample());
        reserved[6] = 1;
        AssertRejected(Reseal(reserved), PolicySnapshotRejection.InvalidValue);
    }

    [Fact]
    public void TryDecode_HugeDeclaredWeightCount_IsRejectedWithoutAllocating()
    {
        var message = Encode(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(36), int.MaxValue);
        AssertRejected(Reseal(message), PolicySnapshotRejection.WeightCountMismatch);
    }
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Serialization;
using static Tempo.Runtime.Transport.Wire.PolicySnapshotWireFormat;

namespace Tempo.Runtime.Transport.Wire;

/// <summary>Encodes policy snapshots of one run and network into the versioned wire format, and decodes and validates them back.</summary>
/// <remarks>
/// <para>
/// The same discipline as <see cref="SegmentCodec{TObservation, TAction}"/>: decoding checks framing (magic, schema
/// version, length, CRC-32C) then meaning (run id, weight count, finite weights) before it touches the target, so a
/// rejected message leaves the target as it was; the declared weight count is compared with the codec's before
/// anything is sized from it, and decoding writes into a snapshot the caller owns, so nothing is allocated. Rejection
/// is a value (<see cref="PolicySnapshotRejection"/>), counted per reason in <see cref="Rejected"/>.
/// </para>
/// <para>Little-endian hosts only, as for segments: weights are copied as raw memory.</para>
/// </remarks>
public sealed class PolicySnapshotCodec
{
    private readonly long[] _rejections = new long[Enum.GetValues<PolicySnapshotRejection>().Length];

    /// <summary>Creates a codec for snapshots of run <paramref name="run"/> with <paramref name="weightCount"/> weights.</summary>
    public PolicySnapshotCodec(RunId run, int weightCount)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The snapshot codec copies little-endian arrays as raw memory and needs a little-endian host.");
        }

        if (run.IsEmpty)
        {
            throw new ArgumentException("The run id must not be empty.", nameof(run));
        }

        var length = GetEncodedLength(weightCount);
        if (length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(weightCount), weightCount, $"A snapshot of {weightCount} weights takes {length} bytes, more than one message can hold.");
        }

        Run = run;
        WeightCount = weightCount;
        EncodedLength = (int)length;
    }

    /// <summary>The run whose snapshots this codec writes and accepts.</summary>
    public RunId Run { get; }

    /// <summary>The weight count of every snapshot this codec writes and accepts.</summary>
    public int WeightCount { get; }

    /// <summary>The exact size of every message: 44 bytes plus 4 per weight.</summary>
    public int EncodedLength { get; }

    /// <summary>How many messages were rejected for <paramref name="reason"/> since the codec was created; safe to read from any thread.</summary>
    public long Rejected(PolicySnapshotRejection reason) => Interlocked.Read(ref _rejections[(int)reason]);

    /// <summary>Writes <paramref name="snapshot"/> to the start of <paramref name="destination"/> and returns the number of bytes written (<see cref="EncodedLength"/>).</summary>
    /// <remarks>Values are not checked here: a publisher refuses non-finite weights before encoding, and the receiver checks again.</remarks>
    public int Encode(PolicySnapshot snapshot, Span<byte> destination)
    {
        CheckSnapshot(snapshot, nameof(snapshot));
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the snapshot needs {EncodedLength}.", nameof(destination));
        }

        var message = destination[..EncodedLength];
        BinaryPrimitives.WriteUInt32LittleEndian(message, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(message[SchemaVersionOffset..], SchemaVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(message[ReservedOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(message[TotalLengthOffset..], (uint)EncodedLength);
        Run.Value.TryWriteBytes(message.Slice(RunIdOffset, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64LittleEndian(message[PolicyVersionOffset..], snapshot.Version.Value);
        BinaryPrimitives.WriteInt32LittleEndian(message[WeightCountOffset..], WeightCount);
        MemoryMarshal.AsBytes(snapshot.Weights).CopyTo(message[HeaderLength..]);
        BinaryPrimitives.WriteUInt32LittleEndian(message[^ChecksumLength..], Crc32C.Compute(message[..^ChecksumLength]));
        return EncodedLength;
    }

    /// <summary>Validates <paramref name="source"/> as one whole message and, if it is valid, overwrites <paramref name="target"/> with it.</summary>
    /// <param name="source">Exactly one message: no bytes before or after it.</param>
    /// <param name="target">The snapshot to fill; left untouched when the message is rejected.</param>
    /// <param name="reason">Why the message was rejected, or <see cref="PolicySnapshotRejection.None"/>.</param>
    /// <returns>Whether the message was accepted.</returns>
    public bool TryDecode(ReadOnlySpan<byte> source, PolicySnapshot target, out PolicySnapshotRejection reason)
    {
        CheckSnapshot(target, nameof(target));
        reason = Validate(source);
        if (reason != PolicySnapshotRejection.None)
        {
            Interlocked.Increment(ref _rejections[(int)reason]);
            return false;
        }

        target.CopyFrom(
            new PolicyVersion(BinaryPrimitives.ReadInt64LittleEndian(source[PolicyVersionOffset..])),
            MemoryMarshal.Cast<byte, float>(source[HeaderLength..^ChecksumLength]));
        return true;
    }

    /// <summary>Overwrites <paramref name="target"/> from <paramref name="source"/>, throwing <see cref="InvalidDataException"/> that names the reason if the message is rejected.</summary>
    public void Decode(ReadOnlySpan<byte> source, PolicySnapshot target)
    {
        if (!TryDecode(source, target, out var reason))
        {
            ThrowRejected(reason, source);
        }
    }

    private PolicySnapshotRejection Validate(ReadOnlySpan<byte> source)
    {
        // Framing first, in the order a reader can check it: magic, version, declared length, checksum.
        if (source.Length < sizeof(uint))
        {
            return PolicySnapshotRejection.Truncated;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            return PolicySnapshotRejection.WrongMagic;
        }

        if (source.Length < SchemaVersionOffset + sizeof(ushort))
        {
            return PolicySnapshotRejection.Truncated;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(source[SchemaVersionOffset..]) != SchemaVersion)
        {
            return PolicySnapshotRejection.UnsupportedSchemaVersion;
        }

        if (source.Length < HeaderLength)
        {
            return PolicySnapshotRejection.Truncated;
        }

        var declaredLength = BinaryPrimitives.ReadUInt32LittleEndian(source[TotalLengthOffset..]);
        if (declaredLength < HeaderLength + ChecksumLength)
        {
            return PolicySnapshotRejection.LengthMismatch;
        }

        if ((uint)source.Length < declaredLength)
        {
            return PolicySnapshotRejection.Truncated;
        }

        if ((uint)source.Length > declaredLength)
        {
            return PolicySnapshotRejection.LengthMismatch;
        }

        if (Crc32C.Compute(source[..^ChecksumLength]) != BinaryPrimitives.ReadUInt32LittleEndian(source[^ChecksumLength..]))
        {
            return PolicySnapshotRejection.ChecksumMismatch;
        }

        // The bytes are as the sender wrote them; now check they are meant for this reader.
        if (new Guid(source.Slice(RunIdOffset, 16), bigEndian: true) != Run.Value)
        {
            return PolicySnapshotRejection.ForeignRun;
        }

        var weightCount = BinaryPrimitives.ReadInt32LittleEndian(source[WeightCountOffset..]);
        if (weightCount != WeightCount)
        {
            return PolicySnapshotRejection.WeightCountMismatch;
        }

        if (declaredLength != EncodedLength)
        {
            return PolicySnapshotRejection.LengthMismatch;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(source[ReservedOffset..]) != 0
            || BinaryPrimitives.ReadInt64LittleEndian(source[PolicyVersionOffset..]) < 0
            || WireValues.ContainsNonFinite(MemoryMarshal.Cast<byte, float>(source[HeaderLength..^ChecksumLength])))
        {
            return PolicySnapshotRejection.InvalidValue;
        }

        return PolicySnapshotRejection.None;
    }

    private void CheckSnapshot(PolicySnapshot snapshot, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(snapshot, parameterName);
        if (snapshot.WeightCount != WeightCount)
        {
            throw new ArgumentException($"The snapshot holds {snapshot.WeightCount} weights; the codec's network has {WeightCount}.", parameterName);
        }
    }

    [DoesNotReturn]
    private void ThrowRejected(PolicySnapshotRejection reason, ReadOnlySpan<byte> source) =>
        throw new InvalidDataException(reason switch
        {
            PolicySnapshotRejection.Truncated => $"Policy snapshot rejected: truncated ({source.Length} bytes is shorter than the message).",
            PolicySnapshotRejection.WrongMagic => "Policy snapshot rejected: wrong magic; the bytes are not a policy snapshot.",
            PolicySnapshotRejection.UnsupportedSchemaVersion => $"Policy snapshot rejected: unsupported schema version {BinaryPrimitives.ReadUInt16LittleEndian(source[SchemaVersionOffset..])} (this reader understands {SchemaVersion}).",
            PolicySnapshotRejection.LengthMismatch => $"Policy snapshot rejected: the declared length disagrees with the {source.Length} bytes received or with the weight count.",
            PolicySnapshotRejection.ChecksumMismatch => "Policy snapshot rejected: CRC-32C mismatch; the bytes were damaged.",
            PolicySnapshotRejection.ForeignRun => $"Policy snapshot rejected: it belongs to run {new RunId(new Guid(source.Slice(RunIdOffset, 16), bigEndian: true))}, not {Run}.",
            PolicySnapshotRejection.WeightCountMismatch => $"Policy snapshot rejected: it holds {BinaryPrimitives.ReadInt32LittleEndian(source[WeightCountOffset..])} weights; this network has {WeightCount}.",
            PolicySnapshotRejection.InvalidValue => "Policy snapshot rejected: a field holds an invalid value (NaN or infinite weight, negative policy version, non-zero reserved bytes).",
            _ => $"Policy snapshot rejected: {reason}.",
        });
}

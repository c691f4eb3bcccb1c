using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Nn.Serialization;
using static Tempo.Runtime.Transport.Wire.SegmentWireFormat;

namespace Tempo.Runtime.Transport.Wire;

// Decoding: validate every byte of the message first, then fill the target, so a rejected message changes nothing.
public sealed partial class SegmentCodec<TObservation, TAction>
{
    /// <summary>Validates <paramref name="source"/> as one whole message and, if it is valid, fills <paramref name="target"/> from it.</summary>
    /// <param name="source">Exactly one message: no bytes before or after it.</param>
    /// <param name="target">The segment to fill; left untouched when the message is rejected.</param>
    /// <param name="reason">Why the message was rejected, or <see cref="SegmentRejection.None"/>.</param>
    /// <returns>Whether the message was accepted.</returns>
    public bool TryDecode(ReadOnlySpan<byte> source, Segment<TObservation, TAction> target, out SegmentRejection reason)
    {
        CheckSegment(target, nameof(target));
        reason = Validate(source, out var truncations, out var episodes);
        if (reason != SegmentRejection.None)
        {
            Interlocked.Increment(ref _rejections[(int)reason]);
            return false;
        }

        Fill(source, target, truncations, episodes);
        return true;
    }

    /// <summary>Fills <paramref name="target"/> from <paramref name="source"/>, throwing <see cref="InvalidDataException"/> that names the reason if the message is rejected.</summary>
    public void Decode(ReadOnlySpan<byte> source, Segment<TObservation, TAction> target)
    {
        if (!TryDecode(source, target, out var reason))
        {
            ThrowRejected(reason, source.Length);
        }
    }

    private SegmentRejection Validate(ReadOnlySpan<byte> source, out int truncations, out int episodes)
    {
        truncations = 0;
        episodes = 0;

        // Framing first, in the order a reader can check it: magic, version, declared length, checksum.
        if (source.Length < sizeof(uint))
        {
            return SegmentRejection.Truncated;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            return SegmentRejection.WrongMagic;
        }

        if (source.Length < SchemaVersionOffset + sizeof(ushort))
        {
            return SegmentRejection.Truncated;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(source[SchemaVersionOffset..]) != SchemaVersion)
        {
            return SegmentRejection.UnsupportedSchemaVersion;
        }

        if (source.Length < HeaderLength)
        {
            return SegmentRejection.Truncated;
        }

        var declaredLength = BinaryPrimitives.ReadUInt32LittleEndian(source[TotalLengthOffset..]);
        if (declaredLength < HeaderLength + ChecksumLength)
        {
            return SegmentRejection.LengthMismatch;
        }

        if ((uint)source.Length < declaredLength)
        {
            return SegmentRejection.Truncated;
        }

        if ((uint)source.Length > declaredLength)
        {
            return SegmentRejection.LengthMismatch;
        }

        if (Crc32C.Compute(source[..^ChecksumLength]) != BinaryPrimitives.ReadUInt32LittleEndian(source[^ChecksumLength..]))
        {
            return SegmentRejection.ChecksumMismatch;
        }

        // The bytes are as the sender wrote them; now check they are meant for this reader.
        if (new Guid(source.Slice(RunIdOffset, 16), bigEndian: true) != Run.Value)
        {
            return SegmentRejection.ForeignRun;
        }

        if (source[ObservationTypeOffset] != (byte)ObservationElementType || source[ActionTypeOffset] != (byte)ActionElementType)
        {
            return SegmentRejection.ElementTypeMismatch;
        }

        if (ReadInt32(source, StepsOffset) != Layout.Steps
            || ReadInt32(source, EnvsOffset) != Layout.Envs
            || ReadInt32(source, ObservationSizeOffset) != Layout.ObservationSize
            || ReadInt32(source, ActionSizeOffset) != Layout.ActionSize)
        {
            return SegmentRejection.LayoutMismatch;
        }

        var truncationCount = ReadInt32(source, TruncationCountOffset);
        var episodeCount = ReadInt32(source, EpisodeCountOffset);
        if ((uint)truncationCount > (uint)_transitions || (uint)episodeCount > (uint)_transitions)
        {
            return SegmentRejection.InvalidValue;
        }

        if (EncodedLength(truncationCount, episodeCount) != source.Length)
        {
            return SegmentRejection.LengthMismatch;
        }

        if (!HeaderValuesAreValid(source)
            || !DenseValuesAreValid(source)
            || !SparseValuesAreValid(source, truncationCount)
            || !EpisodesAreValid(source, truncationCount, episodeCount))
        {
            return SegmentRejection.InvalidValue;
        }

        if (_floatParts.Length > 0
            && (DictPartsHoldNaN(source[HeaderLength.._actionsOffset])
                || DictPartsHoldNaN(source.Slice(_sparseOffset + (truncationCount * sizeof(int)), truncationCount * _observationBytes))))
        {
            return SegmentRejection.NaNInDictPart;
        }

        truncations = truncationCount;
        episodes = episodeCount;
        return SegmentRejection.None;
    }

    private static bool HeaderValuesAreValid(ReadOnlySpan<byte> source) =>
        ReadInt32(source, ActorOffset) >= 0
        && BinaryPrimitives.ReadInt64LittleEndian(source[BehaviourVersionOffset..]) >= 0
        && BinaryPrimitives.ReadInt64LittleEndian(source[SequenceOffset..]) >= 0
        && BinaryPrimitives.ReadInt64LittleEndian(source[ActorStepsOffset..]) >= 0;

    private bool DenseValuesAreValid(ReadOnlySpan<byte> source)
    {
        // Observations and bootstrap observations are adjacent; infinities are allowed there (unbounded boxes), NaN is not.
        if (WireValues.ContainsNaN(ObservationElementType, source[HeaderLength.._actionsOffset]))
        {
            return false;
        }

        var actions = source[_actionsOffset.._rewardsOffset];
        if (WireValues.ContainsNonFinite(ActionElementType, actions)
            || (DiscreteActionCount is { } count && WireValues.ContainsOutOfRange(ActionElementType, actions, count)))
        {
            return false;
        }

        // Rewards, behaviour log-probabilities and behaviour values are adjacent float32 arrays.
        if (WireValues.ContainsNonFinite(MemoryMarshal.Cast<byte, float>(source[_rewardsOffset.._terminatedOffset])))
        {
            return false;
        }

        return source[_terminatedOffset.._sparseOffset].IndexOfAnyExcept((byte)0, (byte)1) < 0;
    }

    private bool SparseValuesAreValid(ReadOnlySpan<byte> source, int truncations)
    {
        var flags = source.Slice(_truncatedOffset, _transitions);
        if (flags.Count((byte)1) != truncations)
        {
            return false;
        }

        // Strictly increasing indices that all point at set flags, as many as there are set flags: exactly the truncated steps.
        var previous = -1;
        for (var k = 0; k < truncations; k++)
        {
            var index = ReadInt32(source, _sparseOffset + (k * sizeof(int)));
            if (index <= previous || index >= _transitions || flags[index] != 1)
            {
                return false;
            }

            previous = index;
        }

        var observationsOffset = _sparseOffset + (truncations * sizeof(int));
        return !WireValues.ContainsNaN(ObservationElementType, source.Slice(observationsOffset, truncations * _observationBytes));
    }

    private bool EpisodesAreValid(ReadOnlySpan<byte> source, int truncations, int episodes)
    {
        var offset = _sparseOffset + (truncations * (sizeof(int) + _observationBytes));
        for (var e = 0; e < episodes; e++, offset += EpisodeLength)
        {
            var episodeReturn = BinaryPrimitives.ReadDoubleLittleEndian(source[offset..]);
            var length = ReadInt32(source, offset + 8);
            var wallTime = BinaryPrimitives.ReadDoubleLittleEndian(source[(offset + 12)..]);
            var env = ReadInt32(source, offset + 20);
            var xReached = BinaryPrimitives.ReadInt64LittleEndian(source[(offset + 24)..]);
            if (!double.IsFinite(episodeReturn) || length < 1 || !double.IsFinite(wallTime) || wallTime < 0 || (uint)env >= (uint)Layout.Envs
                || !(xReached == NoXReachedBits || double.IsFinite(BitConverter.Int64BitsToDouble(xReached))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether any float part of any of the dict observations laid end to end in <paramref name="observations"/> holds a NaN.</summary>
    private bool DictPartsHoldNaN(ReadOnlySpan<byte> observations)
    {
        for (var start = 0; start < observations.Length; start += _observationBytes)
        {
            var observation = observations.Slice(start, _observationBytes);
            foreach (var part in _floatParts)
            {
                if (WireValues.ContainsNaN(part.Type, observation.Slice(part.Offset, part.Length)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void Fill(ReadOnlySpan<byte> source, Segment<TObservation, TAction> target, int truncations, int episodes)
    {
        source[HeaderLength.._bootstrapOffset].CopyTo(MemoryMarshal.AsBytes(target.Observations));
        source[_bootstrapOffset.._actionsOffset].CopyTo(MemoryMarshal.AsBytes(target.BootstrapObservations));
        source[_actionsOffset.._rewardsOffset].CopyTo(MemoryMarshal.AsBytes(target.Actions));
        source[_rewardsOffset.._logProbsOffset].CopyTo(MemoryMarshal.AsBytes(target.Rewards));
        source[_logProbsOffset.._valuesOffset].CopyTo(MemoryMarshal.AsBytes(target.BehaviourLogProbs));
        source[_valuesOffset.._terminatedOffset].CopyTo(MemoryMarshal.AsBytes(target.BehaviourValues));
        source[_terminatedOffset.._truncatedOffset].CopyTo(MemoryMarshal.AsBytes(target.Terminated));
        source[_truncatedOffset.._sparseOffset].CopyTo(MemoryMarshal.AsBytes(target.Truncated));

        // Only truncated steps carry a final observation; the rest are zeroed so no stale data survives from reuse.
        var finalObservations = MemoryMarshal.AsBytes(target.FinalObservations);
        finalObservations.Clear();
        var observationsOffset = _sparseOffset + (truncations * sizeof(int));
        for (var k = 0; k < truncations; k++)
        {
            var index = ReadInt32(source, _sparseOffset + (k * sizeof(int)));
            source.Slice(observationsOffset + (k * _observationBytes), _observationBytes).CopyTo(finalObservations[(index * _observationBytes)..]);
        }

        var targetEpisodes = target.Episodes;
        targetEpisodes.Clear();
        var offset = observationsOffset + (truncations * _observationBytes);
        for (var e = 0; e < episodes; e++, offset += EpisodeLength)
        {
            targetEpisodes.Add(new SegmentEpisode(
                ReadInt32(source, offset + 20),
                new EpisodeStatistics(
                    BinaryPrimitives.ReadDoubleLittleEndian(source[offset..]),
                    ReadInt32(source, offset + 8),
                    BinaryPrimitives.ReadDoubleLittleEndian(source[(offset + 12)..]),
                    ReadXReached(source, offset + 24))));
        }

        target.Actor = new ActorId(ReadInt32(source, ActorOffset));
        target.BehaviourVersion = new PolicyVersion(BinaryPrimitives.ReadInt64LittleEndian(source[BehaviourVersionOffset..]));
        target.Sequence = BinaryPrimitives.ReadInt64LittleEndian(source[SequenceOffset..]);
        target.ActorSteps = BinaryPrimitives.ReadInt64LittleEndian(source[ActorStepsOffset..]);
    }

    // One NaN pattern on the wire stands for an env without positions (validated before).
    private static double? ReadXReached(ReadOnlySpan<byte> source, int offset)
    {
        var bits = BinaryPrimitives.ReadInt64LittleEndian(source[offset..]);
        return bits == NoXReachedBits ? null : BitConverter.Int64BitsToDouble(bits);
    }

    [DoesNotReturn]
    private void ThrowRejected(SegmentRejection reason, int length) =>
        throw new InvalidDataException(reason switch
        {
            SegmentRejection.Truncated => $"Segment rejected: truncated ({length} bytes is shorter than the message).",
            SegmentRejection.WrongMagic => "Segment rejected: wrong magic; the bytes are not a segment.",
            SegmentRejection.UnsupportedSchemaVersion => $"Segment rejected: unsupported schema version (this reader understands {SchemaVersion}).",
            SegmentRejection.LengthMismatch => $"Segment rejected: the declared length disagrees with the {length} bytes received or with the header's counts.",
            SegmentRejection.ChecksumMismatch => "Segment rejected: CRC-32C mismatch; the bytes were damaged.",
            SegmentRejection.ForeignRun => $"Segment rejected: it belongs to another run than {Run}.",
            SegmentRejection.ElementTypeMismatch => $"Segment rejected: element types differ from this codec's ({ObservationElementType} observations, {ActionElementType} actions).",
            SegmentRejection.LayoutMismatch => $"Segment rejected: its layout differs from this codec's {Layout}.",
            SegmentRejection.InvalidValue => "Segment rejected: a field holds an invalid value (non-finite float, NaN observation, action out of range, bad flag, inconsistent truncations or episodes, negative id or count).",
            SegmentRejection.NaNInDictPart => $"Segment rejected: a float part of a dict observation holds a NaN ({ObservationSpace}).",
            _ => $"Segment rejected: {reason}.",
        });
}

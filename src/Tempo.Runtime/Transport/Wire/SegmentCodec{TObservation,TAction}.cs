using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Tempo.Core.Envs;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checksums;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Segments;
using static Tempo.Runtime.Transport.Wire.SegmentWireFormat;

namespace Tempo.Runtime.Transport.Wire;

/// <summary>Encodes segments of one run and layout into the versioned wire format, and decodes and validates them back.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <para>
/// Decoding validates every byte before it touches the target segment, so a rejected message leaves the target as it
/// was and an accepted one fills it completely. Rejection is a value (<see cref="SegmentRejection"/>), never an
/// exception from deep inside; <see cref="Decode"/> turns it into an <see cref="InvalidDataException"/> for callers
/// that prefer one. Encoding does not validate values: the receiver does, on the far side of the boundary.
/// </para>
/// <para>
/// The format is little-endian and arrays are copied as raw memory, so the codec runs only on little-endian hosts
/// (every platform .NET ships for except s390x), which also read unaligned floats without penalty.
/// </para>
/// </remarks>
public sealed class SegmentCodec<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly int _transitions;
    private readonly int _observationBytes;
    private readonly int _bootstrapOffset;
    private readonly int _actionsOffset;
    private readonly int _rewardsOffset;
    private readonly int _logProbsOffset;
    private readonly int _valuesOffset;
    private readonly int _terminatedOffset;
    private readonly int _truncatedOffset;
    private readonly int _sparseOffset;

    /// <summary>Creates a codec for segments of run <paramref name="run"/> shaped by <paramref name="layout"/>.</summary>
    /// <param name="run">The run whose segments are accepted; others are rejected as <see cref="SegmentRejection.ForeignRun"/>.</param>
    /// <param name="layout">The layout every segment must have.</param>
    /// <param name="discreteActionCount">For integer actions, the number of discrete actions: decoding rejects actions outside <c>[0, count)</c>. <see langword="null"/> skips the check.</param>
    public SegmentCodec(RunId run, SegmentLayout layout, int? discreteActionCount = null)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The segment codec copies little-endian arrays as raw memory and needs a little-endian host.");
        }

        if (run.IsEmpty)
        {
            throw new ArgumentException("The run id must not be empty.", nameof(run));
        }

        layout.Validate();
        ObservationElementType = ElementTypeOf<TObservation>()
            ?? throw new NotSupportedException($"Observation element type {typeof(TObservation)} cannot be carried by the segment wire format.");
        ActionElementType = ElementTypeOf<TAction>()
            ?? throw new NotSupportedException($"Action element type {typeof(TAction)} cannot be carried by the segment wire format.");
        if (discreteActionCount is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(discreteActionCount));
            var largest = WireValues.LargestInteger(ActionElementType)
                ?? throw new ArgumentException($"A discrete action count needs an integer action type, not {typeof(TAction)}.", nameof(discreteActionCount));
            if ((ulong)(count - 1) > largest)
            {
                throw new ArgumentOutOfRangeException(nameof(discreteActionCount), count, $"{typeof(TAction)} cannot hold action {count - 1}.");
            }
        }

        var maxLength = SegmentWireFormat.GetEncodedLength(layout, ObservationElementType, ActionElementType, layout.Transitions, layout.Transitions);
        if (maxLength > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, $"A segment of this layout can take {maxLength} bytes, more than one message can hold.");
        }

        Run = run;
        Layout = layout;
        DiscreteActionCount = discreteActionCount;
        MaxEncodedLength = (int)maxLength;
        _transitions = layout.Transitions;
        _observationBytes = layout.ObservationSize * ElementSize(ObservationElementType);
        _bootstrapOffset = HeaderLength + (_transitions * _observationBytes);
        _actionsOffset = _bootstrapOffset + (layout.Envs * _observationBytes);
        _rewardsOffset = _actionsOffset + (_transitions * layout.ActionSize * ElementSize(ActionElementType));
        _logProbsOffset = _rewardsOffset + (_transitions * sizeof(float));
        _valuesOffset = _logProbsOffset + (_transitions * sizeof(float));
        _terminatedOffset = _valuesOffset + (_transitions * sizeof(float));
        _truncatedOffset = _terminatedOffset + _transitions;
        _sparseOffset = _truncatedOffset + _transitions;
    }

    /// <summary>The run whose segments this codec writes and accepts.</summary>
    public RunId Run { get; }

    /// <summary>The layout of every segment this codec writes and accepts.</summary>
    public SegmentLayout Layout { get; }

    /// <summary>The number of discrete actions decoded actions are checked against, if known.</summary>
    public int? DiscreteActionCount { get; }

    /// <summary>The wire code of <typeparamref name="TObservation"/>.</summary>
    public WireElementType ObservationElementType { get; }

    /// <summary>The wire code of <typeparamref name="TAction"/>.</summary>
    public WireElementType ActionElementType { get; }

    /// <summary>The size of the largest possible message (every step truncated and ending an episode), for sizing buffers once.</summary>
    public int MaxEncodedLength { get; }

    /// <summary>The exact number of bytes <see cref="Encode(Segment{TObservation, TAction}, Span{byte})"/> writes for <paramref name="segment"/>.</summary>
    public int GetEncodedLength(Segment<TObservation, TAction> segment)
    {
        CheckSegment(segment, nameof(segment));
        return EncodedLength(segment.Truncated.Count(true), segment.Episodes.Count);
    }

    /// <summary>Writes <paramref name="segment"/> to the start of <paramref name="destination"/> and returns the number of bytes written.</summary>
    public int Encode(Segment<TObservation, TAction> segment, Span<byte> destination)
    {
        CheckSegment(segment, nameof(segment));
        ReadOnlySpan<bool> truncated = segment.Truncated;
        var truncations = truncated.Count(true);
        var episodes = CollectionsMarshal.AsSpan(segment.Episodes);
        if (episodes.Length > _transitions)
        {
            throw new ArgumentException($"The segment holds {episodes.Length} finished episodes, more than its {_transitions} transitions allow.", nameof(segment));
        }

        var length = EncodedLength(truncations, episodes.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the segment needs {length}.", nameof(destination));
        }

        var message = destination[..length];
        BinaryPrimitives.WriteUInt32LittleEndian(message[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(message[SchemaVersionOffset..], SchemaVersion);
        message[ObservationTypeOffset] = (byte)ObservationElementType;
        message[ActionTypeOffset] = (byte)ActionElementType;
        BinaryPrimitives.WriteUInt32LittleEndian(message[TotalLengthOffset..], (uint)length);
        Run.Value.TryWriteBytes(message.Slice(RunIdOffset, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32LittleEndian(message[StepsOffset..], Layout.Steps);
        BinaryPrimitives.WriteInt32LittleEndian(message[EnvsOffset..], Layout.Envs);
        BinaryPrimitives.WriteInt32LittleEndian(message[ObservationSizeOffset..], Layout.ObservationSize);
        BinaryPrimitives.WriteInt32LittleEndian(message[ActionSizeOffset..], Layout.ActionSize);
        BinaryPrimitives.WriteInt32LittleEndian(message[ActorOffset..], segment.Actor.Value);
        BinaryPrimitives.WriteInt64LittleEndian(message[BehaviourVersionOffset..], segment.BehaviourVersion.Value);
        BinaryPrimitives.WriteInt64LittleEndian(message[SequenceOffset..], segment.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(message[TruncationCountOffset..], truncations);
        BinaryPrimitives.WriteInt32LittleEndian(message[EpisodeCountOffset..], episodes.Length);

        MemoryMarshal.AsBytes(segment.Observations).CopyTo(message[HeaderLength..]);
        MemoryMarshal.AsBytes(segment.BootstrapObservations).CopyTo(message[_bootstrapOffset..]);
        MemoryMarshal.AsBytes(segment.Actions).CopyTo(message[_actionsOffset..]);
        MemoryMarshal.AsBytes(segment.Rewards).CopyTo(message[_rewardsOffset..]);
        MemoryMarshal.AsBytes(segment.BehaviourLogProbs).CopyTo(message[_logProbsOffset..]);
        MemoryMarshal.AsBytes(segment.BehaviourValues).CopyTo(message[_valuesOffset..]);
        MemoryMarshal.AsBytes(segment.Terminated).CopyTo(message[_terminatedOffset..]);
        MemoryMarshal.AsBytes(truncated).CopyTo(message[_truncatedOffset..]);

        // Sparse truncations: all indices, then all truncation values, then all final observations, in step order.
        var valuesOffset = _sparseOffset + (truncations * sizeof(int));
        var observationsOffset = valuesOffset + (truncations * sizeof(float));
        ReadOnlySpan<byte> finalObservations = MemoryMarshal.AsBytes(segment.FinalObservations);
        ReadOnlySpan<float> truncationValues = segment.TruncationValues;
        var written = 0;
        for (var index = truncated.IndexOf(true); index >= 0; index = NextTruncation(truncated, index))
        {
            BinaryPrimitives.WriteInt32LittleEndian(message[(_sparseOffset + (written * sizeof(int)))..], index);
            BinaryPrimitives.WriteSingleLittleEndian(message[(valuesOffset + (written * sizeof(float)))..], truncationValues[index]);
            finalObservations.Slice(index * _observationBytes, _observationBytes).CopyTo(message[(observationsOffset + (written * _observationBytes))..]);
            written++;
        }

        var episodeOffset = observationsOffset + (truncations * _observationBytes);
        foreach (var episode in episodes)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(message[episodeOffset..], episode.Return);
            BinaryPrimitives.WriteInt32LittleEndian(message[(episodeOffset + 8)..], episode.Length);
            BinaryPrimitives.WriteDoubleLittleEndian(message[(episodeOffset + 12)..], episode.WallTimeSeconds);
            episodeOffset += EpisodeLength;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(message[^ChecksumLength..], Crc32C.Compute(message[..^ChecksumLength]));
        return length;
    }

    /// <summary>Writes <paramref name="segment"/> to <paramref name="writer"/> and returns the number of bytes written.</summary>
    public int Encode(Segment<TObservation, TAction> segment, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetEncodedLength(segment);
        var written = Encode(segment, writer.GetSpan(length));
        writer.Advance(written);
        return written;
    }

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

    private int EncodedLength(int truncations, int episodes) =>
        _sparseOffset + (truncations * (sizeof(int) + sizeof(float) + _observationBytes)) + (episodes * EpisodeLength) + ChecksumLength;

    private static int NextTruncation(ReadOnlySpan<bool> truncated, int index)
    {
        var next = truncated[(index + 1)..].IndexOf(true);
        return next < 0 ? -1 : index + 1 + next;
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

        truncations = truncationCount;
        episodes = episodeCount;
        return SegmentRejection.None;
    }

    private static bool HeaderValuesAreValid(ReadOnlySpan<byte> source) =>
        ReadInt32(source, ActorOffset) >= 0
        && BinaryPrimitives.ReadInt64LittleEndian(source[BehaviourVersionOffset..]) >= 0
        && BinaryPrimitives.ReadInt64LittleEndian(source[SequenceOffset..]) >= 0;

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

        var valuesOffset = _sparseOffset + (truncations * sizeof(int));
        var observationsOffset = valuesOffset + (truncations * sizeof(float));
        return !WireValues.ContainsNonFinite(MemoryMarshal.Cast<byte, float>(source[valuesOffset..observationsOffset]))
            && !WireValues.ContainsNaN(ObservationElementType, source.Slice(observationsOffset, truncations * _observationBytes));
    }

    private bool EpisodesAreValid(ReadOnlySpan<byte> source, int truncations, int episodes)
    {
        var offset = _sparseOffset + (truncations * (sizeof(int) + sizeof(float) + _observationBytes));
        for (var e = 0; e < episodes; e++, offset += EpisodeLength)
        {
            var episodeReturn = BinaryPrimitives.ReadDoubleLittleEndian(source[offset..]);
            var length = ReadInt32(source, offset + 8);
            var wallTime = BinaryPrimitives.ReadDoubleLittleEndian(source[(offset + 12)..]);
            if (!double.IsFinite(episodeReturn) || length < 1 || !double.IsFinite(wallTime) || wallTime < 0)
            {
                return false;
            }
        }

        return true;
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

        // Only truncated steps carry a final observation and value; the rest are zeroed so no stale data survives from reuse.
        var finalObservations = MemoryMarshal.AsBytes(target.FinalObservations);
        var truncationValues = target.TruncationValues;
        finalObservations.Clear();
        truncationValues.Clear();
        var valuesOffset = _sparseOffset + (truncations * sizeof(int));
        var observationsOffset = valuesOffset + (truncations * sizeof(float));
        for (var k = 0; k < truncations; k++)
        {
            var index = ReadInt32(source, _sparseOffset + (k * sizeof(int)));
            truncationValues[index] = BinaryPrimitives.ReadSingleLittleEndian(source[(valuesOffset + (k * sizeof(float)))..]);
            source.Slice(observationsOffset + (k * _observationBytes), _observationBytes).CopyTo(finalObservations[(index * _observationBytes)..]);
        }

        var targetEpisodes = target.Episodes;
        targetEpisodes.Clear();
        var offset = observationsOffset + (truncations * _observationBytes);
        for (var e = 0; e < episodes; e++, offset += EpisodeLength)
        {
            targetEpisodes.Add(new EpisodeStatistics(
                BinaryPrimitives.ReadDoubleLittleEndian(source[offset..]),
                ReadInt32(source, offset + 8),
                BinaryPrimitives.ReadDoubleLittleEndian(source[(offset + 12)..])));
        }

        target.Actor = new ActorId(ReadInt32(source, ActorOffset));
        target.BehaviourVersion = new PolicyVersion(BinaryPrimitives.ReadInt64LittleEndian(source[BehaviourVersionOffset..]));
        target.Sequence = BinaryPrimitives.ReadInt64LittleEndian(source[SequenceOffset..]);
    }

    private void CheckSegment(Segment<TObservation, TAction> segment, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(segment, parameterName);
        if (segment.Layout != Layout)
        {
            throw new ArgumentException($"Segment layout {segment.Layout} does not match the codec's {Layout}.", parameterName);
        }
    }

    private static int ReadInt32(ReadOnlySpan<byte> source, int offset) => BinaryPrimitives.ReadInt32LittleEndian(source[offset..]);

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
            SegmentRejection.InvalidValue => "Segment rejected: a field holds an invalid value (non-finite float, NaN observation, action out of range, bad flag, inconsistent truncations or episodes, negative id).",
            _ => $"Segment rejected: {reason}.",
        });
}

using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tempo.Algorithms.Experience;
using Tempo.Core.Spaces;
using Tempo.Nn.Serialization;
using static Tempo.Runtime.Transport.Wire.SegmentWireFormat;

namespace Tempo.Runtime.Transport.Wire;

/// <summary>Encodes segments of one run and layout into the versioned wire format, and decodes and validates them back.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <para>
/// Decoding validates every byte before it touches the target segment, so a rejected message leaves the target as it
/// was and an accepted one fills it completely. Rejection is a value (<see cref="SegmentRejection"/>), never an
/// exception from deep inside, and is counted per reason (<see cref="Rejected"/>); <see cref="Decode"/> turns it into an <see cref="InvalidDataException"/> for callers
/// that prefer one. Encoding does not validate values: the receiver does, on the far side of the boundary.
/// </para>
/// <para>
/// The format is little-endian and arrays are copied as raw memory, so the codec runs only on little-endian hosts
/// (every platform .NET ships for except s390x), which also read unaligned floats without penalty.
/// </para>
/// </remarks>
public sealed partial class SegmentCodec<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly long[] _rejections = new long[Enum.GetValues<SegmentRejection>().Length];
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
    private readonly FloatPart[] _floatParts;

    /// <summary>Creates a codec for segments of run <paramref name="run"/> shaped by <paramref name="layout"/>.</summary>
    /// <param name="run">The run whose segments are accepted; others are rejected as <see cref="SegmentRejection.ForeignRun"/>.</param>
    /// <param name="layout">The layout every segment must have.</param>
    /// <param name="discreteActionCount">For integer actions, the number of discrete actions: decoding rejects actions outside <c>[0, count)</c>. <see langword="null"/> skips the check.</param>
    /// <param name="observationSpace">
    /// The observation space, or <see langword="null"/>. When it is a <see cref="DictSpace"/>, decoding checks every
    /// float and double part of every observation for NaN, part by part (the byte array itself cannot hold one), and
    /// rejects offenders as <see cref="SegmentRejection.NaNInDictPart"/>.
    /// </param>
    public SegmentCodec(RunId run, SegmentLayout layout, int? discreteActionCount = null, ISpace? observationSpace = null)
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

        _floatParts = FloatPartsOf(observationSpace, layout);
        Run = run;
        Layout = layout;
        DiscreteActionCount = discreteActionCount;
        ObservationSpace = observationSpace;
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

    /// <summary>The observation space decoded observations are checked against, if known (see the constructor).</summary>
    public ISpace? ObservationSpace { get; }

    /// <summary>The wire code of <typeparamref name="TObservation"/>.</summary>
    public WireElementType ObservationElementType { get; }

    /// <summary>The wire code of <typeparamref name="TAction"/>.</summary>
    public WireElementType ActionElementType { get; }

    /// <summary>The size of the largest possible message (every step truncated and ending an episode), for sizing buffers once.</summary>
    public int MaxEncodedLength { get; }

    /// <summary>How many messages were rejected for <paramref name="reason"/> since the codec was created; safe to read from any thread.</summary>
    public long Rejected(SegmentRejection reason) => Interlocked.Read(ref _rejections[(int)reason]);

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
        BinaryPrimitives.WriteInt64LittleEndian(message[ActorStepsOffset..], segment.ActorSteps);
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

        // Sparse truncations: all indices, then all final observations, in step order.
        var observationsOffset = _sparseOffset + (truncations * sizeof(int));
        ReadOnlySpan<byte> finalObservations = MemoryMarshal.AsBytes(segment.FinalObservations);
        var written = 0;
        for (var index = truncated.IndexOf(true); index >= 0; index = NextTruncation(truncated, index))
        {
            BinaryPrimitives.WriteInt32LittleEndian(message[(_sparseOffset + (written * sizeof(int)))..], index);
            finalObservations.Slice(index * _observationBytes, _observationBytes).CopyTo(message[(observationsOffset + (written * _observationBytes))..]);
            written++;
        }

        var episodeOffset = observationsOffset + (truncations * _observationBytes);
        foreach (var (env, episode) in episodes)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(message[episodeOffset..], episode.Return);
            BinaryPrimitives.WriteInt32LittleEndian(message[(episodeOffset + 8)..], episode.Length);
            BinaryPrimitives.WriteDoubleLittleEndian(message[(episodeOffset + 12)..], episode.WallTimeSeconds);
            BinaryPrimitives.WriteInt32LittleEndian(message[(episodeOffset + 20)..], env);
            BinaryPrimitives.WriteInt64LittleEndian(message[(episodeOffset + 24)..], episode.XReached is { } x ? BitConverter.DoubleToInt64Bits(x) : NoXReachedBits);
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

    private int EncodedLength(int truncations, int episodes) =>
        _sparseOffset + (truncations * (sizeof(int) + _observationBytes)) + (episodes * EpisodeLength) + ChecksumLength;

    private static int NextTruncation(ReadOnlySpan<bool> truncated, int index)
    {
        var next = truncated[(index + 1)..].IndexOf(true);
        return next < 0 ? -1 : index + 1 + next;
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

    private static FloatPart[] FloatPartsOf(ISpace? observationSpace, SegmentLayout layout)
    {
        if (observationSpace is null)
        {
            return [];
        }

        if (observationSpace.ElementType != typeof(TObservation) || observationSpace.FlatSize != layout.ObservationSize)
        {
            throw new ArgumentException(
                $"Observation space {observationSpace} holds {observationSpace.FlatSize} {observationSpace.ElementType.Name} elements; the codec carries {layout.ObservationSize} {typeof(TObservation).Name} elements per observation.",
                nameof(observationSpace));
        }

        if (observationSpace is not DictSpace dict)
        {
            return [];
        }

        return [.. dict.Parts
            .Where(p => p.Space.ElementType == typeof(float) || p.Space.ElementType == typeof(double))
            .Select(p => new FloatPart(p.ByteOffset, p.ByteLength, p.Space.ElementType == typeof(float) ? WireElementType.Float32 : WireElementType.Float64))];
    }

    /// <summary>Where a float or double part of a dict observation sits inside one observation's bytes.</summary>
    private readonly record struct FloatPart(int Offset, int Length, WireElementType Type);
}

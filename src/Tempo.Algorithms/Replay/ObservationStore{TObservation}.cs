using System.Runtime.InteropServices;

namespace Tempo.Algorithms.Replay;

/// <summary>A first-in first-out store of observations that keeps each frame once: an observation that is a stack of frames shares the frames it has in common with its predecessor.</summary>
/// <remarks>
/// <para>An observation's stack — the whole observation, or the range of it given as <c>stack</c> (a dict's frames
/// part) — is <c>framesPerObservation</c> equal-sized frames (a frame stack's <c>[4, 84, 84]</c> is 4 frames; a flat
/// observation is 1); elements outside the stack (a dict's other parts) are kept whole with each observation.
/// Appending one with its predecessor in the same env stream reuses the predecessor's frames 1..K-1 as frames 0..K-2
/// when their bytes agree, and a frame equal to the one before it in the same stack (a stack just after reset) is kept
/// once, so a stream of stacks costs about one frame per step.</para>
/// <para>Ids are append counts and never repeat. Frames live in a ring; overwriting the oldest frame invalidates
/// every observation up to the last one that used it, so <see cref="OldestValid"/> only moves forward.</para>
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
public sealed class ObservationStore<TObservation>
    where TObservation : unmanaged
{
    private readonly TObservation[] _frames;
    private readonly long[] _frameLastUser;
    private readonly long[] _observationFrames;
    private readonly TObservation[] _rest;
    private readonly int _stackOffset;
    private readonly int _stackEnd;
    private readonly int _restSize;
    private readonly int _frameCapacity;
    private readonly int _observationCapacity;
    private long _framesWritten;

    /// <summary>Creates a store of <paramref name="observationCapacity"/> observations over a ring of <paramref name="frameCapacity"/> frames.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="framesPerObservation">Frames an observation is made of; divides <paramref name="observationSize"/>.</param>
    /// <param name="observationCapacity">Observations whose frame lists are kept.</param>
    /// <param name="frameCapacity">Frames kept.</param>
    /// <param name="stack">The elements of an observation that hold its frames (null: all of them).</param>
    /// <exception cref="ArgumentException">A size is not positive, the stack lies outside the observation, or the frames do not divide the stack.</exception>
    public ObservationStore(int observationSize, int framesPerObservation, int observationCapacity, int frameCapacity, Range? stack = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerObservation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCapacity);
        var (stackOffset, stackLength) = StackOf(stack, observationSize);
        if (stackLength % framesPerObservation != 0)
        {
            throw new ArgumentException($"A stack of {stackLength} elements does not split into {framesPerObservation} equal frames.", nameof(framesPerObservation));
        }

        ObservationSize = observationSize;
        FramesPerObservation = framesPerObservation;
        FrameSize = stackLength / framesPerObservation;
        _stackOffset = stackOffset;
        _stackEnd = stackOffset + stackLength;
        _restSize = observationSize - stackLength;
        _rest = new TObservation[checked((long)observationCapacity * _restSize)];
        _observationCapacity = observationCapacity;
        _frameCapacity = frameCapacity;
        _frames = new TObservation[checked((long)frameCapacity * FrameSize)];
        _frameLastUser = new long[frameCapacity];
        _observationFrames = new long[checked(observationCapacity * framesPerObservation)];
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Frames one observation is made of.</summary>
    public int FramesPerObservation { get; }

    /// <summary>Elements of one frame.</summary>
    public int FrameSize { get; }

    /// <summary>Observations appended so far; the next one gets this id.</summary>
    public long Appended { get; private set; }

    /// <summary>The oldest id still readable; every id from it to <see cref="Appended"/> − 1 is.</summary>
    public long OldestValid { get; private set; }

    /// <summary>Frames actually written so far (what sharing saved is <see cref="Appended"/> × frames per observation minus this).</summary>
    public long FramesWritten => _framesWritten;

    /// <summary>Bytes the store holds, whatever it has filled: frames, frame owners and frame lists.</summary>
    public long Bytes => ((long)(_frames.Length + _rest.Length) * Marshal.SizeOf<TObservation>()) + (_frameLastUser.Length * sizeof(long)) + (_observationFrames.Length * sizeof(long));

    /// <summary>Whether <paramref name="id"/> can be read.</summary>
    public bool IsValid(long id) => id >= OldestValid && id < Appended;

    /// <summary>Appends <paramref name="observation"/>, sharing frames with <paramref name="predecessor"/> (the previous observation of the same stream, or −1) where their bytes agree.</summary>
    /// <returns>The new observation's id.</returns>
    /// <exception cref="ArgumentException">The observation has the wrong size.</exception>
    public long Append(ReadOnlySpan<TObservation> observation, long predecessor)
    {
        if (observation.Length != ObservationSize)
        {
            throw new ArgumentException($"An observation here has {ObservationSize} elements; got {observation.Length}.", nameof(observation));
        }

        var id = Appended;

        // The slot about to be reused belongs to the observation a capacity ago: it stops being readable first.
        if (id - _observationCapacity >= OldestValid)
        {
            OldestValid = id - _observationCapacity + 1;
        }

        var hasPredecessor = predecessor >= 0 && IsValid(predecessor);
        var frames = _observationFrames.AsSpan((int)(id % _observationCapacity) * FramesPerObservation, FramesPerObservation);
        var previous = hasPredecessor
            ? _observationFrames.AsSpan((int)(predecessor % _observationCapacity) * FramesPerObservation, FramesPerObservation)
            : default;
        for (var j = 0; j < FramesPerObservation; j++)
        {
            var frame = observation.Slice(_stackOffset + (j * FrameSize), FrameSize);
            long shared = -1;
            if (hasPredecessor && j + 1 < FramesPerObservation && FrameEquals(previous[j + 1], frame))
            {
                shared = previous[j + 1];
            }
            else if (j > 0 && FrameEquals(frames[j - 1], frame))
            {
                shared = frames[j - 1];
            }

            frames[j] = shared >= 0 ? shared : WriteFrame(frame);
            _frameLastUser[frames[j] % _frameCapacity] = id;
        }

        var rest = RestSpan(id);
        observation[.._stackOffset].CopyTo(rest);
        observation[_stackEnd..].CopyTo(rest[_stackOffset..]);
        Appended = id + 1;
        return id;
    }

    /// <summary>Copies observation <paramref name="id"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id was never appended or is no longer kept.</exception>
    public void Read(long id, Span<TObservation> destination)
    {
        if (!IsValid(id))
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Observation {id} is not kept; ids {OldestValid} to {Appended - 1} are.");
        }

        var frames = _observationFrames.AsSpan((int)(id % _observationCapacity) * FramesPerObservation, FramesPerObservation);
        for (var j = 0; j < FramesPerObservation; j++)
        {
            FrameSpan(frames[j]).CopyTo(destination.Slice(_stackOffset + (j * FrameSize), FrameSize));
        }

        var rest = RestSpan(id);
        rest[.._stackOffset].CopyTo(destination);
        rest[_stackOffset..].CopyTo(destination[_stackEnd..]);
    }

    /// <summary>Whether observation <paramref name="id"/> is kept and holds exactly <paramref name="observation"/>'s bytes.</summary>
    public bool Matches(long id, ReadOnlySpan<TObservation> observation)
    {
        if (!IsValid(id) || observation.Length != ObservationSize)
        {
            return false;
        }

        var frames = _observationFrames.AsSpan((int)(id % _observationCapacity) * FramesPerObservation, FramesPerObservation);
        for (var j = 0; j < FramesPerObservation; j++)
        {
            if (!FrameEquals(frames[j], observation.Slice(_stackOffset + (j * FrameSize), FrameSize)))
            {
                return false;
            }
        }

        var rest = MemoryMarshal.AsBytes(RestSpan(id));
        var offset = _stackOffset * Marshal.SizeOf<TObservation>();
        return rest[..offset].SequenceEqual(MemoryMarshal.AsBytes(observation[.._stackOffset]))
            && rest[offset..].SequenceEqual(MemoryMarshal.AsBytes(observation[_stackEnd..]));
    }

    /// <summary>Writes everything the store holds, to continue from it after <see cref="Read(BinaryReader)"/>.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(Appended);
        writer.Write(OldestValid);
        writer.Write(_framesWritten);
        writer.Write(MemoryMarshal.AsBytes(_frames.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_frameLastUser.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_observationFrames.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_rest.AsSpan()));
    }

    /// <summary>Replaces the contents with what <see cref="Write"/> wrote from a store of the same sizes.</summary>
    internal void Read(BinaryReader reader)
    {
        Appended = reader.ReadInt64();
        OldestValid = reader.ReadInt64();
        _framesWritten = reader.ReadInt64();
        ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_frames.AsSpan()));
        ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_frameLastUser.AsSpan()));
        ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_observationFrames.AsSpan()));
        ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_rest.AsSpan()));
    }

    private static (int Offset, int Length) StackOf(Range? stack, int observationSize)
    {
        try
        {
            var (offset, length) = (stack ?? Range.All).GetOffsetAndLength(observationSize);
            return length > 0 ? (offset, length) : throw new ArgumentException($"The frame stack {stack} of an observation of {observationSize} elements is empty.", nameof(stack));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentException($"The frame stack {stack} lies outside an observation of {observationSize} elements.", nameof(stack));
        }
    }

    private Span<TObservation> RestSpan(long id) => _rest.AsSpan((int)(id % _observationCapacity) * _restSize, _restSize);

    private long WriteFrame(ReadOnlySpan<TObservation> frame)
    {
        var frameId = _framesWritten;
        var slot = (int)(frameId % _frameCapacity);
        if (frameId >= _frameCapacity)
        {
            // Every observation up to the last user of the overwritten frame loses it.
            OldestValid = Math.Max(OldestValid, _frameLastUser[slot] + 1);
        }

        frame.CopyTo(_frames.AsSpan(slot * FrameSize, FrameSize));
        _framesWritten = frameId + 1;
        return frameId;
    }

    private bool FrameEquals(long frameId, ReadOnlySpan<TObservation> frame) =>
        frameId >= _framesWritten - _frameCapacity
        && MemoryMarshal.AsBytes(FrameSpan(frameId)).SequenceEqual(MemoryMarshal.AsBytes(frame));

    private ReadOnlySpan<TObservation> FrameSpan(long frameId) => _frames.AsSpan((int)(frameId % _frameCapacity) * FrameSize, FrameSize);
}

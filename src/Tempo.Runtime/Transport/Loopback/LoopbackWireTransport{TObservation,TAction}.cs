using Tempo.Algorithms.Experience;
using Tempo.Core.Spaces;
using Tempo.Runtime.Policies;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Runtime.Transport.Loopback;

/// <summary>Joins an actor host and a learner host in one process through the wire format: every segment and snapshot is encoded to bytes, queued and decoded, exactly as a cross-process transport would.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <para>
/// What crosses is bytes only: the actors rent segments from <see cref="ActorPool"/>, <see cref="Writer"/> encodes each
/// one (<see cref="SegmentCodec{TObservation, TAction}"/>) into a pooled buffer, queues the buffer in a bounded
/// channel (same capacity and full policy as the in-process one) and returns the segment at once; <see cref="Reader"/>
/// decodes each message into a segment of <see cref="LearnerPool"/>, which the learner host returns. Snapshots go
/// through <see cref="PolicySnapshotCodec"/> the same way (<see cref="Publisher"/>, <see cref="Policies"/>). Everything is
/// stamped with <see cref="Run"/>, and whatever a codec rejects is skipped and counted, so training goes on.
/// </para>
/// <para>
/// Uses: a wire check of an env's segment shapes and values before going to a fleet (a NaN or a shape the format cannot
/// carry shows up here, in one process), and the reference a network transport is tested against. Once the pools hold
/// what is in flight, nothing is allocated per segment or snapshot.
/// </para>
/// </remarks>
public sealed class LoopbackWireTransport<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly SegmentChannel<WireMessage> _channel;
    private readonly WireMessagePool _messages;
    private readonly EncodingSegmentWriter<TObservation, TAction> _writer;
    private readonly DecodingSegmentReader<TObservation, TAction> _reader;
    private readonly LoopbackPolicyWire _policies;
    private long _injected;

    /// <summary>Creates the transport for one run's segments of <paramref name="layout"/> and policies of <paramref name="weightCount"/> weights.</summary>
    /// <param name="run">The run every message is stamped with and checked against.</param>
    /// <param name="layout">The layout every segment has.</param>
    /// <param name="weightCount">The policy's weight count.</param>
    /// <param name="channel">Capacity and full policy of the message queue.</param>
    /// <param name="poolCapacity">Segments each side's pool keeps, and message buffers the transport keeps: enough for every actor's one in hand, a full queue and the learner's batch.</param>
    /// <param name="discreteActionCount">For integer actions, the number of discrete actions (decoded actions outside it are rejected), or <see langword="null"/>.</param>
    /// <param name="observationSpace">The observation space, or <see langword="null"/>; a <see cref="DictSpace"/> has its float parts checked for NaN.</param>
    public LoopbackWireTransport(
        RunId run,
        SegmentLayout layout,
        int weightCount,
        SegmentChannelOptions channel,
        int poolCapacity,
        int? discreteActionCount = null,
        ISpace? observationSpace = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(poolCapacity);
        SegmentCodec = new SegmentCodec<TObservation, TAction>(run, layout, discreteActionCount, observationSpace);
        SnapshotCodec = new PolicySnapshotCodec(run, weightCount);
        ActorPool = new SegmentPool<TObservation, TAction>(layout, poolCapacity);
        LearnerPool = new SegmentPool<TObservation, TAction>(layout, poolCapacity);
        _messages = new WireMessagePool(SegmentCodec.MaxEncodedLength, poolCapacity);
        _channel = new SegmentChannel<WireMessage>(channel, _messages.Return);
        _writer = new EncodingSegmentWriter<TObservation, TAction>(SegmentCodec, ActorPool, _messages, _channel.Writer);
        _reader = new DecodingSegmentReader<TObservation, TAction>(SegmentCodec, LearnerPool, _messages, _channel.Reader);
        _policies = new LoopbackPolicyWire(SnapshotCodec);
    }

    /// <summary>The run every message is stamped with; messages of any other run are rejected.</summary>
    public RunId Run => SegmentCodec.Run;

    /// <summary>The segment codec both sides use; its <see cref="SegmentCodec{TObservation, TAction}.Rejected"/> counts rejections per reason.</summary>
    public SegmentCodec<TObservation, TAction> SegmentCodec { get; }

    /// <summary>The snapshot codec both sides use; its <see cref="PolicySnapshotCodec.Rejected"/> counts rejections per reason.</summary>
    public PolicySnapshotCodec SnapshotCodec { get; }

    /// <summary>Where the actor host rents segments; the writer returns each one once encoded.</summary>
    public SegmentPool<TObservation, TAction> ActorPool { get; }

    /// <summary>Where decoded segments come from; the learner host returns them.</summary>
    public SegmentPool<TObservation, TAction> LearnerPool { get; }

    /// <summary>The actor host's side: encodes and queues.</summary>
    public ISegmentWriter<Segment<TObservation, TAction>> Writer => _writer;

    /// <summary>The learner host's side: decodes, skipping rejected messages.</summary>
    public ISegmentReader<Segment<TObservation, TAction>> Reader => _reader;

    /// <summary>Where the learner host publishes: encodes each snapshot; refuses one with a NaN or infinite weight.</summary>
    public IPolicyPublisher Publisher => _policies;

    /// <summary>Where the actor host loads policies: the newest message decoded into a local store.</summary>
    public IPolicySource Policies => _policies;

    /// <summary>A snapshot of the transport's counters.</summary>
    public LoopbackWireStatistics Statistics => new(
        _writer.Encoded,
        _reader.Decoded,
        _reader.Rejected,
        Interlocked.Read(ref _injected),
        _policies.Encoded,
        _policies.Decoded,
        _policies.Rejected,
        _channel.Statistics);

    /// <summary>Queues raw bytes as if another process had sent them, for the reader to validate like any message.</summary>
    /// <param name="message">One message, at most <see cref="SegmentCodec{TObservation, TAction}.MaxEncodedLength"/> bytes.</param>
    /// <returns>Whether the queue took it (see <see cref="ISegmentWriter{TSegment}.TryWrite"/>).</returns>
    /// <exception cref="ArgumentException">The message is longer than any segment of this layout.</exception>
    public bool TryInject(ReadOnlySpan<byte> message)
    {
        if (message.Length > SegmentCodec.MaxEncodedLength)
        {
            throw new ArgumentException($"A message of {message.Length} bytes is longer than any segment of layout {SegmentCodec.Layout} ({SegmentCodec.MaxEncodedLength} bytes).", nameof(message));
        }

        var buffer = _messages.Rent();
        message.CopyTo(buffer.Buffer);
        buffer.Length = message.Length;
        if (!_channel.Writer.TryWrite(buffer))
        {
            _messages.Return(buffer);
            return false;
        }

        Interlocked.Increment(ref _injected);
        return true;
    }
}

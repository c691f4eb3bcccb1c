using Tempo.Algorithms.Experience;
using Tempo.Runtime.Policies;

namespace Tempo.Runtime.Transport;

/// <summary>Joins an actor host and a learner host in one process: a segment pool, a bounded segment channel and a policy store.</summary>
/// <remarks>
/// Segments cross by reference: the actor host rents one from <see cref="Pool"/>, writes it to <see cref="Writer"/>,
/// the learner host reads it from <see cref="Reader"/> and returns it to the pool; the channel returns the segments it
/// drops. Snapshots cross through <see cref="Policies"/>, a ring of reused buffers. Nothing is encoded.
/// </remarks>
public sealed class InProcessTransport<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly SegmentChannel<Segment<TObservation, TAction>> _channel;

    /// <summary>Creates the transport for segments of <paramref name="layout"/> and policies of <paramref name="weightCount"/> weights.</summary>
    /// <param name="layout">The layout every segment has.</param>
    /// <param name="weightCount">The policy's weight count.</param>
    /// <param name="channel">Capacity and full policy of the segment channel.</param>
    /// <param name="poolCapacity">Segments the pool keeps: enough for every actor's one in hand, a full channel and the learner's batch, so steady state allocates nothing.</param>
    public InProcessTransport(SegmentLayout layout, int weightCount, SegmentChannelOptions channel, int poolCapacity)
    {
        Pool = new SegmentPool<TObservation, TAction>(layout, poolCapacity);
        _channel = new SegmentChannel<Segment<TObservation, TAction>>(channel, Pool.Return);
        Policies = new PolicyStore(weightCount);
    }

    /// <summary>The segments both hosts share.</summary>
    public SegmentPool<TObservation, TAction> Pool { get; }

    /// <summary>The actor host's side of the segment channel.</summary>
    public ISegmentWriter<Segment<TObservation, TAction>> Writer => _channel.Writer;

    /// <summary>The learner host's side of the segment channel.</summary>
    public ISegmentReader<Segment<TObservation, TAction>> Reader => _channel.Reader;

    /// <summary>Where the learner host publishes and the actor host loads policies.</summary>
    public PolicyStore Policies { get; }

    /// <summary>The segment channel's counters.</summary>
    public SegmentChannelStatistics ChannelStatistics => _channel.Statistics;
}

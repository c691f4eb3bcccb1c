namespace Tempo.Runtime.Transport.Loopback;

/// <summary>Counters of a loopback wire transport: what was encoded on one side, decoded or rejected on the other.</summary>
/// <param name="SegmentsEncoded">Segments the actors' side encoded and queued.</param>
/// <param name="SegmentsDecoded">Messages decoded into segments and handed to the learner.</param>
/// <param name="SegmentsRejected">Messages the segment codec rejected (per reason: <see cref="LoopbackWireTransport{TObservation, TAction}.SegmentCodec"/>).</param>
/// <param name="MessagesInjected">Raw messages handed in through <see cref="LoopbackWireTransport{TObservation, TAction}.TryInject"/>.</param>
/// <param name="SnapshotsEncoded">Policy snapshots the learner's side encoded.</param>
/// <param name="SnapshotsDecoded">Snapshot messages the actors' side decoded into its local store.</param>
/// <param name="SnapshotsRejected">Snapshot messages the snapshot codec rejected (per reason: <see cref="LoopbackWireTransport{TObservation, TAction}.SnapshotCodec"/>).</param>
/// <param name="Channel">The message queue's counters: written, read, dropped when full.</param>
public readonly record struct LoopbackWireStatistics(
    long SegmentsEncoded,
    long SegmentsDecoded,
    long SegmentsRejected,
    long MessagesInjected,
    long SnapshotsEncoded,
    long SnapshotsDecoded,
    long SnapshotsRejected,
    SegmentChannelStatistics Channel);

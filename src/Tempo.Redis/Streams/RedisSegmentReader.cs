using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StackExchange.Redis;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Streams;

/// <summary>The learner's segment reader: a background task reads the run's stream through the consumer group, validates and decodes each entry into a pooled segment, and queues it for the learner; entries are acknowledged once used.</summary>
/// <remarks>
/// <para>
/// On start (and after a lost connection) it first reads its own pending entries (<c>XREADGROUP … 0</c>: delivered to a
/// learner that never acknowledged them, e.g. one killed by <c>kill -9</c>), takes over entries pending at any other
/// consumer of the group (<c>XAUTOCLAIM</c>), then reads new ones (<c>&gt;</c>). Acknowledgement follows use:
/// <see cref="AcknowledgeUsed"/>, called on the learner's thread after an update, hands the ids of every segment read so
/// far to the task, which sends <c>XACK</c>. A learner that dies between reading and updating leaves its entries pending
/// for the next one.
/// </para>
/// <para>
/// Every rejected entry (<see cref="EntryRejection"/>) is counted, logged (the first few of each kind, then every
/// hundredth) and acknowledged at once, so it never comes back. Each actor incarnation is mapped to an actor id of
/// this learner's own, and its cumulative step count is re-based at the first segment this learner sees from it: the
/// learner host sums per actor id, and a restarted learner must count only the steps it receives, not every step an
/// actor took before.
/// </para>
/// </remarks>
internal sealed class RedisSegmentReader<TObservation, TAction> : ISegmentReader<Segment<TObservation, TAction>>, IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private static readonly TimeSpan _idlePoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan _lastBackoff = TimeSpan.FromSeconds(2);

    private readonly FleetConnection _connection;
    private readonly SegmentCodec<TObservation, TAction> _codec;
    private readonly SegmentPool<TObservation, TAction> _pool;
    private readonly SegmentChannel<Segment<TObservation, TAction>> _channel;
    private readonly Lock _idsLock = new();
    private readonly Queue<RedisValue> _queuedIds = new();
    private readonly List<RedisValue> _toAcknowledge = [];
    private readonly Dictionary<(int Actor, long Incarnation), Source> _sources = [];
    private readonly long[] _rejections = new long[Enum.GetValues<EntryRejection>().Length];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private int _readSinceAcknowledge;
    private long _accepted;
    private long _readErrors;

    private readonly long _versionOffset;

    public RedisSegmentReader(FleetConnection connection, SegmentCodec<TObservation, TAction> codec, SegmentPool<TObservation, TAction> pool, int queueCapacity, long versionOffset)
    {
        _versionOffset = versionOffset;
        _connection = connection;
        _codec = codec;
        _pool = pool;

        // Redis holds what the learner has not read yet; the local queue only keeps the learner busy.
        _channel = new SegmentChannel<Segment<TObservation, TAction>>(new SegmentChannelOptions { Capacity = queueCapacity, WhenFull = QueueFullMode.Wait });
        CreateGroup();
        _task = Task.Run(ReadLoopAsync);
    }

    /// <summary>Entries decoded and queued for the learner.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Failed reads or acknowledgements (each retried).</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    /// <summary>Entries rejected, over all reasons.</summary>
    public long RejectedTotal => _rejections.Sum(r => Interlocked.Read(ref r));

    public int Count => _channel.Reader.Count;

    public bool IsCompleted => _channel.Reader.IsCompleted;

    /// <summary>Entries rejected for <paramref name="reason"/>.</summary>
    public long Rejected(EntryRejection reason) => Interlocked.Read(ref _rejections[(int)reason]);

    public bool TryRead([MaybeNullWhen(false)] out Segment<TObservation, TAction> segment)
    {
        if (_channel.Reader.TryRead(out segment))
        {
            _readSinceAcknowledge++;
            return true;
        }

        return false;
    }

    public bool TryRead([MaybeNullWhen(false)] out Segment<TObservation, TAction> segment, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_channel.Reader.TryRead(out segment, timeout, cancellationToken))
        {
            _readSinceAcknowledge++;
            return true;
        }

        return false;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Marks every segment read so far as used, to be acknowledged; call on the learner's thread once they are trained on or dropped.</summary>
    public void AcknowledgeUsed()
    {
        lock (_idsLock)
        {
            // Segments leave the local queue in the order their ids were queued.
            for (; _readSinceAcknowledge > 0; _readSinceAcknowledge--)
            {
                _toAcknowledge.Add(_queuedIds.Dequeue());
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _channel.Writer.Complete();
        try
        {
            _task.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled mid-read.
        }

        // Acknowledge what was used; the rest stays pending for the next learner.
        try
        {
            FlushAcknowledgements().GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            _connection.Log($"could not acknowledge the last used entries ({error.Message}); a restarted learner reads them again");
        }
        while (_channel.Reader.TryRead(out var unused))
        {
            _pool.Return(unused);
        }

        _stop.Dispose();
    }

    private void CreateGroup()
    {
        try
        {
            _connection.Database.StreamCreateConsumerGroup(_connection.Keys.Segments, FleetKeys.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException error) when (error.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // A restarted learner: the group and its pending entries are there.
        }
    }

    private async Task ReadLoopAsync()
    {
        var keys = _connection.Keys;
        var database = _connection.Database;
        var pendingPhase = true;
        RedisValue pendingCursor = StreamPosition.Beginning;
        var backoff = TimeSpan.FromMilliseconds(50);
        var options = _connection.Options;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await FlushAcknowledgements().ConfigureAwait(false);
                StreamEntry[] entries;
                if (pendingPhase)
                {
                    // Pending entries stay pending until acknowledged, so the history is walked with a cursor.
                    entries = await database.StreamReadGroupAsync(keys.Segments, FleetKeys.Group, FleetKeys.Consumer, pendingCursor, options.ReadBatch).ConfigureAwait(false);
                    if (entries.Length > 0)
                    {
                        pendingCursor = entries[^1].Id;
                    }
                    else
                    {
                        // Our own history is done; take over what another consumer of the group left pending.
                        var claimed = await database.StreamAutoClaimAsync(keys.Segments, FleetKeys.Group, FleetKeys.Consumer, 0, "0-0", options.ReadBatch).ConfigureAwait(false);
                        entries = claimed.ClaimedEntries;
                        pendingPhase = entries.Length > 0;
                    }
                }
                else
                {
                    entries = await database.StreamReadGroupAsync(keys.Segments, FleetKeys.Group, FleetKeys.Consumer, StreamPosition.NewMessages, options.ReadBatch).ConfigureAwait(false);
                }

                backoff = TimeSpan.FromMilliseconds(50);
                if (entries.Length == 0)
                {
                    await Task.Delay(_idlePoll, _stop.Token).ConfigureAwait(false);
                    continue;
                }

                foreach (var entry in entries)
                {
                    await TakeAsync(entry).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                Interlocked.Increment(ref _readErrors);
                pendingPhase = true;
                pendingCursor = StreamPosition.Beginning;
                try
                {
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _lastBackoff.Ticks));
                if (error is RedisServerException server && server.Message.Contains("NOGROUP", StringComparison.Ordinal))
                {
                    // The stream was deleted (or Redis restarted without persistence): start a group again.
                    CreateGroup();
                }
            }
        }
    }

    private async ValueTask TakeAsync(StreamEntry entry)
    {
        if (entry.IsNull)
        {
            // A pending entry that was trimmed away (MAXLEN) before this learner came back.
            return;
        }

        var incarnationValue = entry[EntryFields.Incarnation];
        var sequenceValue = entry[EntryFields.Sequence];
        var bytesValue = entry[EntryFields.Segment];
        if (!incarnationValue.TryParse(out long incarnation) || !sequenceValue.TryParse(out long sequence) || bytesValue.IsNull || incarnation < 1 || sequence < 0)
        {
            Reject(entry.Id, EntryRejection.Malformed, "a field is missing or not a number");
            return;
        }

        // The bound is checked on the length before anything of the learner's is sized or written from the value.
        var length = bytesValue.GetByteCount();
        if (length > _codec.MaxEncodedLength)
        {
            Reject(entry.Id, EntryRejection.Oversized, string.Create(CultureInfo.InvariantCulture, $"{length} bytes, more than the {_codec.MaxEncodedLength} of any segment of this run"));
            return;
        }

        var segment = _pool.Rent();
        if (!_codec.TryDecode(((ReadOnlyMemory<byte>)bytesValue).Span, segment, out var reason))
        {
            _pool.Return(segment);
            Reject(entry.Id, EntryRejection.Undecodable, reason.ToString());
            return;
        }

        var key = (segment.Actor.Value, incarnation);
        if (!_sources.TryGetValue(key, out var source))
        {
            source = new Source(new ActorId(_sources.Count), segment.ActorSteps - segment.Layout.Transitions, -1);
            _sources.Add(key, source);
        }

        if (sequence <= source.LastSequence)
        {
            _pool.Return(segment);
            Reject(entry.Id, EntryRejection.Duplicate, string.Create(CultureInfo.InvariantCulture, $"actor {segment.Actor.Value} incarnation {incarnation} sequence {sequence} already seen"));
            return;
        }

        source.LastSequence = sequence;
        segment.Actor = source.LocalId;
        segment.ActorSteps = Math.Max(0, segment.ActorSteps - source.StepBase);

        // Back from wire versions to the learner's (see RedisPolicyPublisher); a segment acted by a dead learner's newer policy counts as current.
        segment.BehaviourVersion = new PolicyVersion(Math.Max(0, segment.BehaviourVersion.Value - _versionOffset));
        lock (_idsLock)
        {
            _queuedIds.Enqueue(entry.Id);
        }

        Interlocked.Increment(ref _accepted);
        try
        {
            await _channel.Writer.WriteAsync(segment, _stop.Token).ConfigureAwait(false);
        }
        catch
        {
            _pool.Return(segment);
            throw;
        }
    }

    private void Reject(RedisValue id, EntryRejection reason, string detail)
    {
        var count = Interlocked.Increment(ref _rejections[(int)reason]);
        if (count <= 3 || count % 100 == 0)
        {
            _connection.Log($"stream entry {id} rejected ({reason}, {count} so far): {detail}");
        }

        lock (_idsLock)
        {
            _toAcknowledge.Add(id);
        }
    }

    private async Task FlushAcknowledgements()
    {
        RedisValue[] ids;
        lock (_idsLock)
        {
            if (_toAcknowledge.Count == 0)
            {
                return;
            }

            ids = [.. _toAcknowledge];
            _toAcknowledge.Clear();
        }

        try
        {
            await _connection.Database.StreamAcknowledgeAsync(_connection.Keys.Segments, FleetKeys.Group, ids).ConfigureAwait(false);
        }
        catch
        {
            lock (_idsLock)
            {
                _toAcknowledge.AddRange(ids);
            }

            throw;
        }
    }

    /// <summary>What the learner knows of one actor incarnation: its local id, the step count it had when first seen, the last sequence accepted.</summary>
    private sealed class Source(ActorId localId, long stepBase, long lastSequence)
    {
        public ActorId LocalId { get; } = localId;

        public long StepBase { get; } = stepBase;

        public long LastSequence { get; set; } = lastSequence;
    }
}

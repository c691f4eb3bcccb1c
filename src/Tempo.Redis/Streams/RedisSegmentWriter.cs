using StackExchange.Redis;
using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Redis.Streams;

/// <summary>An actor process's segment writer: encodes on the actor's thread into a pooled buffer, queues it in the outbox, and returns at once; a sender task adds the entries to the run's stream.</summary>
/// <remarks>
/// <para>
/// No Redis I/O happens on an actor's thread, so a game never waits for the network. The sender sends one entry at a
/// time, oldest first; when Redis is away it keeps the entry it holds, retries with exponential backoff (50 ms doubling
/// to 2 s), and meanwhile a live world's outbox drops its oldest entries past its capacity, counted; a simulator's actor
/// waits for room in the outbox instead (as it waits for the in-process channel), so nothing it collects is lost; and its
/// sender waits while the learner has <see cref="RedisFleetOptions.SimulatorBacklog"/> entries unread, so a simulator
/// that outruns the learner neither grows the stream without bound nor has its oldest entries trimmed unread.
/// </para>
/// <para>
/// Each entry carries the incarnation and a sequence number this writer counts per actor, so the learner recognises an
/// entry it has already seen (a resend after a reply was lost) and a restarted process never collides with its past self.
/// </para>
/// </remarks>
internal sealed class RedisSegmentWriter<TObservation, TAction> : ISegmentWriter<Segment<TObservation, TAction>>, IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private static readonly TimeSpan _firstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan _lastBackoff = TimeSpan.FromSeconds(2);

    // How often a simulator's sender looks at a backlog at its bound: a learner takes a read batch in about this time.
    private static readonly TimeSpan _backlogPoll = TimeSpan.FromMilliseconds(5);

    private readonly FleetConnection _connection;
    private readonly SegmentCodec<TObservation, TAction> _codec;
    private readonly SegmentPool<TObservation, TAction> _pool;
    private readonly Outbox _outbox;
    private readonly long _incarnation;
    private readonly Dictionary<int, int> _slots;
    private readonly long[] _sequences;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private readonly bool _boundBacklog;
    private long _sent;
    private long _backlogWaits;

    // The learner's backlog as last read plus what this process sent since, and sends since that read.
    private long _backlogEstimate;
    private int _sinceBacklogRead;
    private long _sendFailures;

    public RedisSegmentWriter(
        FleetConnection connection, SegmentCodec<TObservation, TAction> codec, SegmentPool<TObservation, TAction> pool, IReadOnlyList<ActorId> actors, long incarnation, QueueFullMode whenFull)
    {
        _connection = connection;
        _codec = codec;
        _pool = pool;
        _incarnation = incarnation;
        _outbox = new Outbox(connection.Options.OutboxCapacity, codec.MaxEncodedLength, whenFull);
        _slots = actors.Select((id, slot) => (id.Value, slot)).ToDictionary(p => p.Value, p => p.slot);
        _sequences = new long[actors.Count];
        _boundBacklog = whenFull == QueueFullMode.Wait;
        _sender = Task.Run(SendAsync);
    }

    /// <summary>Entries added to the stream.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Entries dropped from the full outbox.</summary>
    public long Dropped => _outbox.Dropped;

    /// <summary>Entries waiting in the outbox.</summary>
    public int Buffered => _outbox.Count;

    /// <summary>Times a simulator's sender found the learner's backlog at its bound and waited.</summary>
    public long BacklogWaits => Interlocked.Read(ref _backlogWaits);

    /// <summary>Failed attempts to add an entry (each retried).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Encodes and queues the segment and returns it to the pool; a waiting (simulator) outbox that is full refuses, and the segment stays the caller's.</summary>
    public bool TryWrite(Segment<TObservation, TAction> segment) => Enqueue(segment, wait: false, default);

    /// <summary>Encodes and queues the segment, waiting for room in a full waiting outbox (never for Redis itself).</summary>
    public void Write(Segment<TObservation, TAction> segment, CancellationToken cancellationToken = default) => Enqueue(segment, wait: true, cancellationToken);

    /// <summary>The same as <see cref="Write"/>.</summary>
    public ValueTask WriteAsync(Segment<TObservation, TAction> segment, CancellationToken cancellationToken = default)
    {
        Enqueue(segment, wait: true, cancellationToken);
        return default;
    }

    /// <summary>Stops taking segments; the sender keeps sending what is queued until disposed.</summary>
    public void Complete() => _outbox.Complete();

    /// <summary>Waits up to <paramref name="timeout"/> for the outbox to drain (after <see cref="Complete"/>).</summary>
    public bool Flush(TimeSpan timeout) => _sender.Wait(timeout);

    public void Dispose()
    {
        _outbox.Complete();
        _stop.Cancel();
        try
        {
            _sender.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled while waiting or sending: nothing more to send.
        }

        _stop.Dispose();
        _outbox.Dispose();
    }

    private bool Enqueue(Segment<TObservation, TAction> segment, bool wait, CancellationToken cancellationToken)
    {
        var slot = _slots[segment.Actor.Value];
        var buffer = _outbox.Rent();
        var length = _codec.Encode(segment, buffer);

        // One actor thread per slot: its own counter, taken only once the item is queued.
        var item = new OutboxItem(buffer, length, _sequences[slot]);
        if (wait)
        {
            try
            {
                _outbox.Add(item, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _outbox.Return(buffer);
                throw;
            }
        }
        else if (!_outbox.TryAdd(item))
        {
            _outbox.Return(buffer);
            return false;
        }

        _sequences[slot]++;
        _pool.Return(segment);
        return true;
    }

    /// <summary>A simulator's sender waits while the learner has <see cref="RedisFleetOptions.SimulatorBacklog"/> entries unread, so the stream stays bounded and nothing is trimmed unread; the actor meanwhile fills the outbox and then waits too.</summary>
    private async Task WaitForBacklogAsync()
    {
        var options = _connection.Options;
        if (_backlogEstimate < options.SimulatorBacklog && _sinceBacklogRead < options.BacklogCheckEvery)
        {
            return;
        }

        var waited = false;
        while (true)
        {
            _backlogEstimate = await ReadBacklogAsync().ConfigureAwait(false);
            _sinceBacklogRead = 0;
            if (_backlogEstimate < options.SimulatorBacklog)
            {
                return;
            }

            if (!waited)
            {
                Interlocked.Increment(ref _backlogWaits);
                waited = true;
            }

            await Task.Delay(_backlogPoll, _stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The learner group's lag (entries not yet delivered to it); 0 before the learner made its group, or when Redis cannot tell (it can after deletions inside the stream, which Tempo never makes).</summary>
    private async Task<long> ReadBacklogAsync()
    {
        try
        {
            foreach (var group in await _connection.Database.StreamGroupInfoAsync(_connection.Keys.Segments).ConfigureAwait(false))
            {
                if (group.Name == FleetKeys.Group)
                {
                    return group.Lag ?? 0;
                }
            }
        }
        catch (RedisServerException)
        {
            // No stream yet: nothing is waiting.
        }

        return 0;
    }

    private async Task SendAsync()
    {
        var fields = new NameValueEntry[3];
        var keys = _connection.Keys;
        var backoff = _firstBackoff;
        try
        {
            while (true)
            {
                var (ok, item) = await _outbox.TakeAsync(_stop.Token).ConfigureAwait(false);
                if (!ok)
                {
                    return;
                }

                // The sender holds this entry until Redis takes it; new segments meanwhile wait in (or fall out of) the outbox.
                fields[0] = new NameValueEntry(EntryFields.Incarnation, _incarnation);
                fields[1] = new NameValueEntry(EntryFields.Sequence, item.Sequence);
                fields[2] = new NameValueEntry(EntryFields.Segment, (ReadOnlyMemory<byte>)item.Buffer.AsMemory(0, item.Length));
                while (true)
                {
                    try
                    {
                        if (_boundBacklog)
                        {
                            await WaitForBacklogAsync().ConfigureAwait(false);
                        }

                        await _connection.Database.StreamAddAsync(keys.Segments, fields, maxLength: _connection.Options.StreamMaxLength, useApproximateMaxLength: true).ConfigureAwait(false);
                        Interlocked.Increment(ref _sent);
                        (_backlogEstimate, _sinceBacklogRead) = (_backlogEstimate + 1, _sinceBacklogRead + 1);
                        backoff = _firstBackoff;
                        break;
                    }
                    catch (Exception error) when (error is RedisException or TimeoutException)
                    {
                        Interlocked.Increment(ref _sendFailures);
                        await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _lastBackoff.Ticks));
                    }
                }

                _outbox.Return(item.Buffer);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}

using System.Runtime.ExceptionServices;

namespace Tempo.Runtime.Actors;

/// <summary>Lets other threads read an actor's own state (its policy's random stream, its envs' wrapper statistics) where it is consistent.</summary>
/// <remarks>
/// <para>
/// The actor's thread brackets everything that changes that state with <see cref="Enter"/> and <see cref="Exit"/>
/// and checks <see cref="IsRequested"/> after every env step (a volatile read, so the step path stays free of locks).
/// A reader outside the bracket runs at once on its own thread, holding the gate so the actor cannot start meanwhile;
/// a reader inside it parks its work here, the actor runs it after its current step, and the reader waits. The actor
/// never waits for a reader except for the few microseconds of a read that started first, so a live env keeps its
/// deadline; a reader waits at most one env step.
/// </para>
/// <para>Requests are rare (checkpoints), so a request may allocate; the actor's side allocates nothing.</para>
/// </remarks>
internal sealed class ActorSafePoint
{
    private readonly object _gate = new();
    private Request? _pending;
    private bool _busy;
    private int _ownerThread;
    private volatile bool _requested;

    /// <summary>Whether a reader waits for the actor; the actor checks this after every step.</summary>
    public bool IsRequested => _requested;

    /// <summary>The actor starts changing its state (collecting, resetting, pausing or resuming).</summary>
    public void Enter()
    {
        lock (_gate)
        {
            _busy = true;
            _ownerThread = Environment.CurrentManagedThreadId;
        }
    }

    /// <summary>The actor stopped changing its state; a reader still waiting is served now, on the actor's thread.</summary>
    public void Exit()
    {
        lock (_gate)
        {
            _busy = false;
            ServeLocked();
        }
    }

    /// <summary>Runs a waiting reader's work on the actor's thread; the actor calls it between steps when <see cref="IsRequested"/>.</summary>
    public void Serve()
    {
        lock (_gate)
        {
            ServeLocked();
        }
    }

    /// <summary>Runs <paramref name="read"/> where the actor's state is consistent and returns its result.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the actor reached a safe point.</exception>
    public TResult Read<TResult>(Func<TResult> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (IsOwnThread())
        {
            // The actor's own thread (an episode observer, say) is between its steps whenever it runs other code.
            return read();
        }

        // Registered outside the lock and disposed after leaving it: disposal waits for a running callback, which needs the lock.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((ActorSafePoint)state!).WakeReaders(), this)
            : default;
        lock (_gate)
        {
            // One request at a time: a second reader waits for the first to be served.
            while (_pending is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }

            if (!_busy)
            {
                return read();
            }

            var request = new Request(() => read());
            _pending = request;
            _requested = true;
            while (!request.Done)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // Withdraw the request; the actor will not run it.
                    _pending = null;
                    _requested = false;
                    Monitor.PulseAll(_gate);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Monitor.Wait(_gate);
            }

            if (request.Error is { } error)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            return (TResult)request.Result!;
        }
    }

    private bool IsOwnThread()
    {
        lock (_gate)
        {
            return _busy && _ownerThread == Environment.CurrentManagedThreadId;
        }
    }

    private void ServeLocked()
    {
        if (_pending is not { } request)
        {
            return;
        }

        _pending = null;
        _requested = false;
        request.Run();
        Monitor.PulseAll(_gate);
    }

    private void WakeReaders()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>A reader's work parked for the actor's thread, with its outcome.</summary>
    private sealed class Request(Func<object?> work)
    {
        public bool Done { get; private set; }

        public object? Result { get; private set; }

        public Exception? Error { get; private set; }

        public void Run()
        {
            try
            {
                Result = work();
            }
            catch (Exception error)
            {
                // The reader rethrows it; the actor must not die of a reader's mistake.
                Error = error;
            }

            Done = true;
        }
    }
}

using System.Threading.Tasks.Sources;

namespace Tempo.Runtime.Transport;

/// <summary>One pending asynchronous wait on a <see cref="SegmentChannel{TSegment}"/>: a reader waiting for data or a writer waiting with its segment for space.</summary>
/// <remarks>
/// <para>
/// Completed at most once per round, by whoever claims it first: the channel (data arrived, space was handed over, or
/// the channel completed) or the cancellation callback. Awaited exactly once; getting the result disposes the
/// cancellation registration and gives the waiter back to its channel's pool, so waiting allocates nothing in steady
/// state. No compiler-generated async state machine is involved, so that holds in Debug builds too.
/// </para>
/// <para>
/// Continuations always run on the thread pool, so the thread that completes a wait (an actor's high-priority loop)
/// never runs the waiter's code.
/// </para>
/// </remarks>
internal sealed class AsyncWaiter<TSegment>(SegmentChannel<TSegment> channel) : IValueTaskSource<bool>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _claimed;

    /// <summary>The segment a waiting writer wants to write; default for a reader.</summary>
    public TSegment Segment { get; private set; } = default!;

    /// <summary>Arms the waiter for one round; call before anyone else can see it.</summary>
    public void Arm(TSegment segment) => Segment = segment;

    /// <summary>Makes <paramref name="cancellationToken"/> end this round; call after publishing the waiter and before handing out its task, so the registration is stored before any result can be taken.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((AsyncWaiter<TSegment>)state!).Cancel(token), this);
        }
    }

    /// <summary>The round's wait as a value task for readers (the result says whether data is available).</summary>
    public ValueTask<bool> AsValueTaskOfBool() => new(this, _core.Version);

    /// <summary>The round's wait as a value task for writers.</summary>
    public ValueTask AsValueTask() => new(this, _core.Version);

    /// <summary>Takes the right to complete this round; only the first caller gets it.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Completes a claimed round with <paramref name="result"/>.</summary>
    public void SetResult(bool result) => _core.SetResult(result);

    /// <summary>Completes a claimed round with <paramref name="error"/>.</summary>
    public void SetException(Exception error) => _core.SetException(error);

    /// <summary>Forgets the round, ready for the next; only once its result was taken.</summary>
    public void Reset()
    {
        _core.Reset();
        _claimed = 0;
        Segment = default!;
    }

    /// <inheritdoc/>
    public bool GetResult(short token)
    {
        if (token != _core.Version)
        {
            throw new InvalidOperationException("A segment channel wait was awaited twice or after it was reused.");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Disposal waits for a cancellation callback that is still running, so the waiter is quiet before reuse.
            _registration.Dispose();
            _registration = default;
            channel.Release(this);
        }
    }

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Cancel(CancellationToken cancellationToken)
    {
        if (TryClaim())
        {
            _core.SetException(new OperationCanceledException(cancellationToken));
        }
    }
}

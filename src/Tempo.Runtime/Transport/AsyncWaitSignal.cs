using System.Threading.Tasks.Sources;

namespace Tempo.Runtime.Transport;

/// <summary>A reusable one-shot wake-up for an asynchronous waiter: set once by a signal or a cancellation, awaited once, then reset for the next wait.</summary>
/// <remarks>
/// Continuations always run on the thread pool, so the thread that signals (an actor's high-priority loop) never runs the
/// waiter's code. Reusing one instance per wait keeps the asynchronous path free of allocations in steady state.
/// </remarks>
internal sealed class AsyncWaitSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _isSet;

    /// <summary>The wait for the current round; await it exactly once.</summary>
    public ValueTask WaitAsync() => new(this, _core.Version);

    /// <summary>Wakes the waiter, unless a cancellation got there first.</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _isSet, 1) == 0)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Ends the wait with <see cref="OperationCanceledException"/>, unless a signal got there first.</summary>
    public void Cancel(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _isSet, 1) == 0)
        {
            _core.SetException(new OperationCanceledException(cancellationToken));
        }
    }

    /// <summary>Prepares the next round; only after the previous wait was awaited and no cancellation callback can still run.</summary>
    public void Reset()
    {
        _core.Reset();
        _isSet = 0;
    }

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

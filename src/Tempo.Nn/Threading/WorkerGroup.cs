using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Tempo.Nn.Threading;

/// <summary>
/// Threads that work in lockstep: the calling thread is member 0 and <see cref="Count"/> − 1 persistent worker threads
/// are the others. <see cref="Run(Action{int}, int)"/> runs body(member) on every member at once and returns when all
/// are done. The one home of the kernels' threads (<c>KernelParallelism</c>) and a data-parallel learner's ranks.
/// </summary>
/// <remarks>
/// A member's share that its worker has not started by the time the caller is done with member 0 (its core is busy
/// elsewhere, or it is still waking up) is run by the caller, so a loaded machine costs at most the sequential time
/// and a call never waits for a wake-up it no longer needs. A body must therefore give the same result whichever
/// thread runs a member: each member's work may touch only that member's state. Workers park on an event between
/// calls (after a short spin), so an idle group costs no CPU. A group serves one caller at a time: a call from a second
/// thread while one runs throws <see cref="InvalidOperationException"/>. Steady-state calls allocate nothing.
/// </remarks>
public sealed class WorkerGroup : IDisposable
{
    // A kernel part or a CartPole minibatch phase lasts tens of microseconds: a short spin saves the worker's wake-up, a
    // long one would take the core from a member that still has work on a two-core machine.
    private const int WorkerSpinCount = 64;

    // The life of a member's share of a call: pending, then taken by its worker or by the caller, then done.
    private const int Pending = 0;
    private const int TakenByWorker = 1;
    private const int TakenByCaller = 2;
    private const int Done = 3;

    private readonly string _name;
    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim[] _done;
    private readonly ExceptionDispatchInfo?[] _failures;
    private readonly int[] _states;
    private Action<int>? _body;
    private int _busy;
    private volatile bool _disposed;

    /// <summary>Creates a group of <paramref name="count"/> members: the caller plus <paramref name="count"/> − 1 worker threads.</summary>
    /// <param name="count">Members, the caller included; 1 runs everything on the caller.</param>
    /// <param name="name">What the members are, for thread names and messages (e.g. "kernel worker": threads "Tempo kernel worker 1", …).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in 1 … 64.</exception>
    public WorkerGroup(int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 64);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Count = count;
        _name = name;
        _failures = new ExceptionDispatchInfo?[count];
        _states = new int[count];
        Array.Fill(_states, Done);
        _workers = new Thread[count - 1];
        _start = new ManualResetEventSlim[count - 1];
        _done = new ManualResetEventSlim[count - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, WorkerSpinCount);
            _done[i] = new ManualResetEventSlim(false, WorkerSpinCount);

            // The event creates its lock the first time a wait blocks: do that now, so a call that waits allocates nothing.
            _done[i].Wait(1);
            var member = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(member))
            {
                IsBackground = true,
                Name = $"Tempo {name} {member}",
            };
            _workers[i].Start();
        }
    }

    /// <summary>Members, the caller included.</summary>
    public int Count { get; }

    /// <summary>Whether <see cref="Dispose"/> has stopped the workers.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Runs <paramref name="body"/>(member) for every member at once, member 0 on the calling thread, and returns when all are done.</summary>
    /// <param name="body">The work of one member; hold the delegate in a field, so a call allocates nothing.</param>
    /// <exception cref="InvalidOperationException">Another thread is running a call on this group.</exception>
    public void Run(Action<int> body) => Run(body, Count);

    /// <summary>Runs <paramref name="body"/>(member) for members 0 … <paramref name="members"/> − 1 at once, member 0 on the calling thread.</summary>
    /// <param name="body">The work of one member; hold the delegate in a field, so a call allocates nothing.</param>
    /// <param name="members">Members taking part, 1 … <see cref="Count"/>.</param>
    /// <remarks>An exception from any member is rethrown here once every member has finished (the lowest member's first).</remarks>
    /// <exception cref="InvalidOperationException">Another thread is running a call on this group.</exception>
    public void Run(Action<int> body, int members)
    {
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)(members - 1) >= (uint)Count)
        {
            ThrowMembers(members);
        }

        if (members == 1)
        {
            body(0);
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowBusy();
        }

        try
        {
            _body = body;
            Array.Clear(_failures, 0, members);
            for (var member = 1; member < members; member++)
            {
                Volatile.Write(ref _states[member], Pending);
                _start[member - 1].Set();
            }

            RunMember(0);
            for (var member = 1; member < members; member++)
            {
                if (Interlocked.CompareExchange(ref _states[member], TakenByCaller, Pending) == Pending)
                {
                    RunMember(member);
                    Volatile.Write(ref _states[member], Done);
                }
                else
                {
                    _done[member - 1].Wait();
                    _done[member - 1].Reset();
                }
            }

            for (var member = 0; member < members; member++)
            {
                _failures[member]?.Throw();
            }
        }
        finally
        {
            _body = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Stops the worker threads; the group cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < _workers.Length; i++)
        {
            _start[i].Set();
            _workers[i].Join();
            _start[i].Dispose();
            _done[i].Dispose();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBusy() =>
        throw new InvalidOperationException($"These {_name} threads are already running a call for another thread; use one instance per calling thread.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowMembers(int members) =>
        throw new ArgumentOutOfRangeException(nameof(members), members, $"A group of {Count} runs 1 … {Count} members at once.");

    private void RunMember(int member)
    {
        try
        {
            _body!(member);
        }
#pragma warning disable CA1031 // The failure is handed to the calling thread, which rethrows it once the call is over.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _failures[member] = ExceptionDispatchInfo.Capture(exception);
        }
    }

    /// <summary>
    /// Serves the member's share of each call. A wake-up can be stale (the caller ran the share itself), so what to do is
    /// decided from the member's state, read after the reset, never from the wake-up alone.
    /// </summary>
    private void WorkerLoop(int member)
    {
        var start = _start[member - 1];
        var done = _done[member - 1];
        while (true)
        {
            start.Wait();

            // Reset before reading the state: a signal that arrives after this is kept for the next wait, and the state it
            // announces was written before it, so nothing is missed.
            start.Reset();
            if (_disposed)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _states[member], TakenByWorker, Pending) == Pending)
            {
                RunMember(member);
                Volatile.Write(ref _states[member], Done);
                done.Set();
            }
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Tempo.Algorithms.Learners.DataParallel;

/// <summary>
/// The threads of a data-parallel learner's ranks on one machine: the calling thread is rank 0 and <see cref="Count"/> − 1
/// persistent worker threads are the others. A learner runs each phase of its update (gather and GAE, one minibatch's
/// gradients) on every rank at once with <see cref="Run"/>, and what joins the ranks (the gradient all-reduce, the
/// optimizer step) between phases on rank 0.
/// </summary>
/// <remarks>
/// The ranks' threads are Lightning Fabric's processes made threads: each rank keeps its own model replica and buffers,
/// so nothing is shared during a phase but reads of rank 0's weights. A rank's share that its worker has not started by the
/// time the caller is done with rank 0 (its core is busy elsewhere) is run by the caller, so a loaded machine costs at
/// most the sequential time, and the result is the same whoever ran it. Workers park on an event between phases (after
/// a short spin), so an idle instance costs no CPU. Hold one per learner and dispose it with the run; an instance serves
/// one caller at a time.
/// </remarks>
public sealed class LearnerRanks : IDisposable
{
    // A phase of a CartPole minibatch lasts tens of microseconds: a short spin saves the worker's wake-up, a long one would
    // take the core from a rank that still has work on a two-core machine.
    private const int WorkerSpinCount = 64;

    // The life of a rank's share of a phase: pending, then taken by its worker or by the caller, then done.
    private const int Pending = 0;
    private const int TakenByWorker = 1;
    private const int TakenByCaller = 2;
    private const int Done = 3;

    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim[] _done;
    private readonly ExceptionDispatchInfo?[] _failures;
    private readonly int[] _states;
    private Action<int>? _body;
    private int _busy;
    private volatile bool _disposed;

    /// <summary>Creates <paramref name="count"/> ranks: the caller plus <paramref name="count"/> − 1 worker threads.</summary>
    /// <param name="count">Ranks (K, <c>--num-learners</c>); 1 runs everything on the caller.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in 1 … 64.</exception>
    public LearnerRanks(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 64);
        Count = count;
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

            // The event creates its lock the first time a wait blocks: do that now, so a phase that waits allocates nothing.
            _done[i].Wait(1);
            var rank = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(rank))
            {
                IsBackground = true,
                Name = $"Tempo learner rank {rank}",
            };
            _workers[i].Start();
        }
    }

    /// <summary>Ranks (K), rank 0 included.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="body"/>(rank) for every rank at once, rank 0 on the calling thread, and returns when all are done.</summary>
    /// <remarks>An exception from any rank is rethrown here once every rank has finished (the lowest rank's first).</remarks>
    /// <exception cref="InvalidOperationException">Another thread is running a phase on this instance.</exception>
    public void Run(Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Count == 1)
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
            Array.Clear(_failures);
            for (var i = 0; i < _start.Length; i++)
            {
                Volatile.Write(ref _states[i + 1], Pending);
                _start[i].Set();
            }

            RunRank(0);

            // A rank whose worker has not started it (its core is busy elsewhere) is run here: the phase then costs at most
            // the sequential time. Each rank's work touches only its own state, so who runs it changes nothing.
            for (var rank = 1; rank < Count; rank++)
            {
                if (Interlocked.CompareExchange(ref _states[rank], TakenByCaller, Pending) == Pending)
                {
                    RunRank(rank);
                    Volatile.Write(ref _states[rank], Done);
                }
                else
                {
                    _done[rank - 1].Wait();
                    _done[rank - 1].Reset();
                }
            }

            foreach (var failure in _failures)
            {
                failure?.Throw();
            }
        }
        finally
        {
            _body = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Stops the worker threads; the instance cannot be used afterwards.</summary>
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
    private static void ThrowBusy() =>
        throw new InvalidOperationException("These LearnerRanks are already running a phase; use one instance per learner.");

    private void RunRank(int rank)
    {
        try
        {
            _body!(rank);
        }
#pragma warning disable CA1031 // The failure is handed to the calling thread, which rethrows it once the phase is over.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _failures[rank] = ExceptionDispatchInfo.Capture(exception);
        }
    }

    /// <summary>
    /// Serves the rank's share of each phase. A wake-up can be stale (the caller ran the share itself), so what to do is
    /// decided from the rank's state, read after the reset, never from the wake-up alone.
    /// </summary>
    private void WorkerLoop(int rank)
    {
        var start = _start[rank - 1];
        var done = _done[rank - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_disposed)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _states[rank], TakenByWorker, Pending) == Pending)
            {
                RunRank(rank);
                Volatile.Write(ref _states[rank], Done);
                done.Set();
            }
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Tempo.Nn.Kernels.Selection;

namespace Tempo.Nn.Kernels;

/// <summary>
/// The threads and per-thread scratch memory that kernels may use: the calling thread plus <c>ThreadCount − 1</c>
/// persistent worker threads. Hold one per compute loop (e.g. one per learner) and pass it to kernel calls.
/// </summary>
/// <remarks>
/// With one thread it only supplies reusable scratch, so GEMM and convolution calls never rent memory. Large kernel
/// calls (≥ <see cref="MinimumParallelFlops"/>) are cut into chunks that the threads take on demand, so a core that
/// is busy with other work slows a call down only by the share it could not do; smaller calls run on the caller alone.
/// Results do not depend on how chunks were shared out.
/// Workers park on an event between calls (they spin only briefly), so an idle instance costs no CPU. An instance
/// serves one caller at a time: concurrent use from two threads throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed unsafe class KernelParallelism : IDisposable
{
    /// <summary>Floating-point operations below which a kernel call stays on the calling thread.</summary>
    public const long MinimumParallelFlops = 4_000_000;

    private const int WorkerSpinCount = 64;

    // The life of an Invoke's second piece: pending, then taken by the worker or the caller, then done.
    private const int SecondPending = 0;
    private const int SecondTakenByWorker = 1;
    private const int SecondTakenByCaller = 2;
    private const int SecondDone = 3;

    private readonly GemmWorkspace[] _workspaces;
    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim[] _done;
    private delegate*<void*, int, int, GemmWorkspace, void> _body;
    private void* _state;
    private Action? _second;
    private ExceptionDispatchInfo? _secondFailure;
    private int _secondState = SecondDone;
    private int _runGeneration;
    private int _parts;
    private int _busy;
    private volatile bool _disposed;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Creates an instance that runs kernels on the calling thread plus <paramref name="threadCount"/> − 1 workers.</summary>
    /// <param name="threadCount">Threads per kernel call, including the caller's; 1 means no worker threads.</param>
    public KernelParallelism(int threadCount = 1)
        : this(threadCount, KernelSelection.Current.Blocking)
    {
    }

    internal KernelParallelism(int threadCount, GemmBlocking blocking)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threadCount, 64);
        ThreadCount = threadCount;
        _workspaces = new GemmWorkspace[threadCount];
        for (var i = 0; i < threadCount; i++)
        {
            _workspaces[i] = new GemmWorkspace(blocking);
        }

        _workers = new Thread[threadCount - 1];
        _start = new ManualResetEventSlim[threadCount - 1];
        _done = new ManualResetEventSlim[threadCount - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, WorkerSpinCount);
            _done[i] = new ManualResetEventSlim(false, WorkerSpinCount);

            // The event creates its lock the first time a wait blocks; do that now, so a later kernel call that has to
            // block on a slow worker allocates nothing.
            _done[i].Wait(1);
            var part = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(part))
            {
                IsBackground = true,
                Name = $"Tempo kernel worker {part}",
            };
            _workers[i].Start();
        }
    }

    /// <summary>Threads a large kernel call is split across (the caller included).</summary>
    public int ThreadCount { get; }

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

    /// <summary>The scratch memory of thread <paramref name="index"/> (0 = the caller).</summary>
    internal GemmWorkspace Workspace(int index) => _workspaces[index];

    /// <summary>
    /// Runs two independent pieces of work, <paramref name="second"/> on the first worker thread if it picks it up
    /// before the caller is done with <paramref name="first"/>, and returns when both are done. Neither piece may use
    /// this instance's kernels.
    /// </summary>
    /// <remarks>
    /// For work that splits into two halves with no data between them, such as a separate actor and critic network:
    /// one fork and one join instead of one per kernel. If the worker has not started <paramref name="second"/> when
    /// <paramref name="first"/> ends (its core is busy elsewhere), the caller runs it itself, so a busy machine costs
    /// at most the sequential time. An exception from either piece is rethrown here.
    /// </remarks>
    public void Invoke(Action first, Action second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ThreadCount == 1)
        {
            first();
            second();
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowBusy();
        }

        try
        {
            _second = second;
            _secondFailure = null;
            Volatile.Write(ref _secondState, SecondPending);
            _start[0].Set();
            try
            {
                first();
            }
            finally
            {
                if (Interlocked.CompareExchange(ref _secondState, SecondTakenByCaller, SecondPending) == SecondPending)
                {
                    second();
                }
                else
                {
                    // The worker is running it right now: spin, it is a matter of microseconds.
                    var spinner = default(SpinWait);
                    while (Volatile.Read(ref _secondState) != SecondDone)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }
                }
            }

            _secondFailure?.Throw();
        }
        finally
        {
            _second = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Runs body(state, part, parts, workspace) for part = 0 … parts − 1, part 0 on the caller, and waits for all.</summary>
    /// <remarks><paramref name="state"/> must stay valid until this returns (it usually points to the caller's stack).</remarks>
    internal void Run(delegate*<void*, int, int, GemmWorkspace, void> body, void* state, int parts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (parts <= 1)
        {
            body(state, 0, 1, _workspaces[0]);
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowBusy();
        }

        try
        {
            parts = Math.Min(parts, ThreadCount);
            _body = body;
            _state = state;
            _parts = parts;
            _failure = null;
            Interlocked.Increment(ref _runGeneration);
            for (var i = 0; i < parts - 1; i++)
            {
                _start[i].Set();
            }

            try
            {
                body(state, 0, parts, _workspaces[0]);
            }
            finally
            {
                for (var i = 0; i < parts - 1; i++)
                {
                    _done[i].Wait();
                    _done[i].Reset();
                }
            }

            _failure?.Throw();
        }
        finally
        {
            _body = null;
            _state = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBusy() =>
        throw new InvalidOperationException("This KernelParallelism is already running a kernel; use one instance per calling thread.");

    /// <summary>
    /// Serves kernel parts and <see cref="Invoke"/> pieces. A wake-up can be stale (the caller took the piece itself),
    /// so what to do is decided from the shared state, never from the wake-up alone.
    /// </summary>
    private void WorkerLoop(int part)
    {
        var start = _start[part - 1];
        var done = _done[part - 1];
        var servedGeneration = 0;
        while (true)
        {
            start.Wait();

            // Reset before reading the state: a signal that arrives after this is kept for the next wait, and the
            // state it announces was written before it, so nothing is missed.
            start.Reset();
            if (_disposed)
            {
                return;
            }

            if (part == 1 && Interlocked.CompareExchange(ref _secondState, SecondTakenByWorker, SecondPending) == SecondPending)
            {
                try
                {
                    _second!();
                }
#pragma warning disable CA1031 // The failure is handed to the calling thread, which rethrows it.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    _secondFailure = ExceptionDispatchInfo.Capture(exception);
                }

                Volatile.Write(ref _secondState, SecondDone);
            }

            var generation = Volatile.Read(ref _runGeneration);
            if (generation == servedGeneration)
            {
                continue;
            }

            servedGeneration = generation;
            if (part >= _parts)
            {
                continue;
            }

            try
            {
                _body(_state, part, _parts, _workspaces[part]);
            }
#pragma warning disable CA1031 // The failure is handed to the calling thread, which rethrows it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(exception);
            }

            done.Set();
        }
    }
}

using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Threading;

namespace Tempo.Nn.Kernels;

/// <summary>
/// The threads and per-thread scratch memory that kernels may use: the calling thread plus <c>ThreadCount − 1</c>
/// persistent worker threads. Hold one per compute loop (e.g. one per learner) and pass it to kernel calls.
/// </summary>
/// <remarks>
/// With one thread it only supplies reusable scratch, so GEMM and convolution calls never rent memory. Large kernel
/// calls (≥ <see cref="MinimumParallelFlops"/>) are cut into chunks that the threads take on demand, so a core that
/// is busy with other work slows a call down only by the share it could not do; smaller calls run on the caller alone.
/// Results do not depend on how chunks were shared out. The threads are a <see cref="WorkerGroup"/>: workers park
/// between calls, and a part whose worker has not started when the caller is done is run by the caller. An instance
/// serves one caller at a time: concurrent use from two threads throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed unsafe class KernelParallelism : IDisposable
{
    /// <summary>Floating-point operations below which a kernel call stays on the calling thread.</summary>
    /// <remarks>
    /// Below this, handing a share to the worker and waiting for it cost more than the share saved on the two-core
    /// virtual machines Tempo is measured on (AMD EPYC Zen 5): at the earlier 4 MFLOP, 128³ and 160³ GEMMs took 10–20 %
    /// and 2–10 % longer on two threads than on one, and a batch-1 Nature-CNN convolution (5–7 MFLOP) took 50 or 155 µs on two
    /// against 62 µs on one, depending on where the scheduler put the worker. At 200³ (16 MFLOP) two threads begin to win.
    /// </remarks>
    public const long MinimumParallelFlops = 16_000_000;

    private readonly GemmWorkspace[] _workspaces;
    private readonly WorkerGroup _threads;
    private readonly Action<int> _runPart;
    private readonly Action<int> _runPiece;

    // The call in progress (set before the group runs it, cleared after).
    private delegate*<void*, int, int, GemmWorkspace, void> _body;
    private void* _state;
    private int _parts;
    private Action? _first;
    private Action? _second;

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
        _workspaces = new GemmWorkspace[threadCount];
        for (var i = 0; i < threadCount; i++)
        {
            _workspaces[i] = new GemmWorkspace(blocking);
        }

        _threads = new WorkerGroup(threadCount, "kernel worker");
        _runPart = RunPart;
        _runPiece = RunPiece;
    }

    /// <summary>Threads a large kernel call is split across (the caller included).</summary>
    public int ThreadCount => _threads.Count;

    /// <summary>Stops the worker threads; the instance cannot be used afterwards.</summary>
    public void Dispose() => _threads.Dispose();

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
    /// at most the sequential time. An exception from either piece is rethrown here (the first's if both throw).
    /// </remarks>
    public void Invoke(Action first, Action second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (ThreadCount == 1)
        {
            ObjectDisposedException.ThrowIf(_threads.IsDisposed, this);
            first();
            second();
            return;
        }

        _first = first;
        _second = second;
        try
        {
            _threads.Run(_runPiece, 2);
        }
        finally
        {
            _first = null;
            _second = null;
        }
    }

    /// <summary>Runs body(state, part, parts, workspace) for part = 0 … parts − 1, part 0 on the caller, and waits for all.</summary>
    /// <remarks>
    /// <paramref name="state"/> must stay valid until this returns (it usually points to the caller's stack). A part
    /// whose worker has not started when part 0 is done runs on the caller with that part's workspace, so a body must
    /// not depend on which thread runs a part.
    /// </remarks>
    internal void Run(delegate*<void*, int, int, GemmWorkspace, void> body, void* state, int parts)
    {
        if (parts <= 1)
        {
            ObjectDisposedException.ThrowIf(_threads.IsDisposed, this);
            body(state, 0, 1, _workspaces[0]);
            return;
        }

        parts = Math.Min(parts, ThreadCount);
        _body = body;
        _state = state;
        _parts = parts;
        try
        {
            _threads.Run(_runPart, parts);
        }
        finally
        {
            _body = null;
            _state = null;
        }
    }

    private void RunPart(int part) => _body(_state, part, _parts, _workspaces[part]);

    private void RunPiece(int piece) => (piece == 0 ? _first : _second)!();
}

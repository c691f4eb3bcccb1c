using System.Runtime.ExceptionServices;
using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Vector;

/// <summary>A vector env that spreads its envs over a fixed set of worker threads, for envs whose step is slow (a real game, a heavy simulator).</summary>
/// <remarks>
/// <para>
/// The envs are split into contiguous blocks, one per worker thread and one for the calling thread, which steps its
/// own block while the workers step theirs. The threads are created once; each call is one round of a spin-then-block
/// handshake (<see cref="RoundBarrier"/>), so a step allocates nothing. Each env is only ever touched by the thread that
/// owns its block, which keeps thread-affine envs (a game's window or graphics context) on one thread.
/// </para>
/// <para>
/// Results equal those of <see cref="SyncVectorEnv{TObservation, TAction}"/> for the same envs, seeds and actions.
/// For envs that step in nanoseconds (CartPole) the handshake costs more than it saves; prefer the sync vector there.
/// </para>
/// </remarks>
public sealed class ThreadedVectorEnv<TObservation, TAction> : IVectorEnv<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly EnvBatch<TObservation, TAction> _batch;
    private readonly Worker[] _workers;
    private readonly RoundBarrier _barrier;

    // The caller's actions are copied here because a span cannot cross to another thread.
    private readonly TAction[] _actions;
    private readonly int _callerFrom;
    private Command _command;
    private VectorStepBuffers<TObservation>? _buffers;
    private int? _seed;
    private bool _disposed;

    /// <summary>Creates a vector over <paramref name="envs"/>, which must all have the same spaces; the vector takes ownership of them.</summary>
    /// <param name="envs">The envs; env i fills slot i of the buffers.</param>
    /// <param name="workerThreads">
    /// Threads to start besides the calling thread; at most <c>envs.Count − 1</c> are used.
    /// Default: one fewer than the processor count, so that the workers and the caller together use every core.
    /// </param>
    public ThreadedVectorEnv(IReadOnlyList<IEnv<TObservation, TAction>> envs, int? workerThreads = null)
    {
        _batch = new(envs, this, nameof(envs));
        var count = _batch.Count;
        var requested = workerThreads ?? Environment.ProcessorCount - 1;
        ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(workerThreads));
        var workerCount = Math.Min(requested, count - 1);

        _actions = new TAction[count * _batch.ActionSize];
        _workers = new Worker[workerCount];

        // Contiguous blocks, sizes differing by at most one; the workers take the first blocks, the caller the last.
        var participants = workerCount + 1;
        var from = 0;
        for (var k = 0; k < workerCount; k++)
        {
            var to = from + BlockSize(count, participants, k);
            _workers[k] = new Worker(from, to);
            from = to;
        }

        _callerFrom = from;
        _barrier = new RoundBarrier(workerCount);
        for (var k = 0; k < workerCount; k++)
        {
            var thread = new Thread(RunWorker)
            {
                IsBackground = true,
                Name = $"Tempo vector worker {k}",
            };
            _workers[k].Thread = thread;
            thread.Start(_workers[k]);
        }
    }

    private enum Command
    {
        Reset,
        Step,
        Stop,
    }

    /// <summary>The number of threads started besides the calling thread.</summary>
    public int WorkerThreads => _workers.Length;

    /// <inheritdoc/>
    public int NumEnvs => _batch.Count;

    /// <inheritdoc/>
    public Space<TObservation> SingleObservationSpace => _batch.ObservationSpace;

    /// <inheritdoc/>
    public Space<TAction> SingleActionSpace => _batch.ActionSpace;

    /// <inheritdoc/>
    public VectorStepBuffers<TObservation> CreateBuffers() => _batch.CreateBuffers();

    /// <inheritdoc/>
    public void Reset(VectorStepBuffers<TObservation> buffers, int? seed = null)
    {
        _batch.BeginReset(buffers, seed);
        Run(Command.Reset, buffers, seed);
        _batch.Complete();
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<TAction> actions, VectorStepBuffers<TObservation> buffers)
    {
        _batch.BeginStep(actions.Length, buffers);
        actions.CopyTo(_actions);
        Run(Command.Step, buffers, seed: null);
        _batch.Complete();
    }

    /// <inheritdoc/>
    public bool CanPause => _batch.CanPause;

    /// <inheritdoc/>
    public void Pause() => _batch.Pause();

    /// <inheritdoc/>
    public void Resume(VectorStepBuffers<TObservation> buffers) => _batch.Resume(buffers);

    /// <inheritdoc/>
    public override string ToString() =>
        $"ThreadedVectorEnv({NumEnvs} × {SingleObservationSpace} → {SingleActionSpace}, {WorkerThreads} worker threads)";

    /// <summary>Stops and joins the worker threads, then disposes the envs.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _command = Command.Stop;
        if (_workers.Length > 0)
        {
            _barrier.StartRound();
        }

        foreach (var worker in _workers)
        {
            worker.Thread?.Join();
        }

        _batch.Dispose();
    }

    private static int BlockSize(int count, int participants, int index) =>
        (count / participants) + (index < count % participants ? 1 : 0);

    private void Run(Command command, VectorStepBuffers<TObservation> buffers, int? seed)
    {
        _command = command;
        _buffers = buffers;
        _seed = seed;
        if (_workers.Length > 0)
        {
            _barrier.StartRound();
        }

        ExceptionDispatchInfo? callerFailure = null;
        try
        {
            Execute(_callerFrom, _batch.Count);
        }
        catch (Exception e)
        {
            // Let the workers finish before reporting, so that no thread touches the buffers after the call returns.
            callerFailure = ExceptionDispatchInfo.Capture(e);
        }

        if (_workers.Length > 0)
        {
            _barrier.WaitForWorkers();
        }

        _buffers = null;

        // Report the lowest failing env, as the sync vector would: worker blocks come first, the caller's block last.
        ExceptionDispatchInfo? first = null;
        foreach (var worker in _workers)
        {
            first ??= worker.Failure;
            worker.Failure = null;
        }

        (first ?? callerFailure)?.Throw();
    }

    private void Execute(int from, int to)
    {
        if (_command == Command.Reset)
        {
            _batch.ResetRange(from, to, _buffers!, _seed);
        }
        else
        {
            _batch.StepRange(from, to, _actions, _buffers!);
        }
    }

    private void RunWorker(object? state)
    {
        var worker = (Worker)state!;
        var round = 0L;
        while (true)
        {
            round = _barrier.WaitForRound(round);
            if (_command == Command.Stop)
            {
                return;
            }

            try
            {
                Execute(worker.From, worker.To);
            }
            catch (Exception e)
            {
                // Never let an env's exception kill the thread: the caller rethrows it with the env index.
                worker.Failure = ExceptionDispatchInfo.Capture(e);
            }

            _barrier.FinishRound();
        }
    }

    /// <summary>One worker thread and its block of envs.</summary>
    private sealed class Worker(int from, int to)
    {
        public int From { get; } = from;

        public int To { get; } = to;

        public Thread? Thread { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }
    }
}

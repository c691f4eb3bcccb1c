using Tempo.Nn.Threading;

namespace Tempo.Algorithms.Learners.DataParallel;

/// <summary>
/// The threads of a data-parallel learner's ranks on one machine: the calling thread is rank 0 and <see cref="Count"/> − 1
/// persistent worker threads are the others. A learner runs each phase of its update (gather and GAE, one minibatch's
/// gradients) on every rank at once with <see cref="Run"/>, and what joins the ranks (the gradient all-reduce, the
/// optimizer step) between phases on rank 0.
/// </summary>
/// <remarks>
/// The ranks' threads are Lightning Fabric's processes made threads: each rank keeps its own model replica and buffers,
/// so nothing is shared during a phase but reads of rank 0's weights. They are a <see cref="WorkerGroup"/>, the same kind
/// the kernels use: a rank's share that its worker has not started by the time the caller is done with rank 0 (its core
/// is busy elsewhere) is run by the caller, so a loaded machine costs at most the sequential time, and the result is the
/// same whoever ran it; workers park between phases, so an idle instance costs no CPU. Hold one per learner and dispose
/// it with the run; an instance serves one caller at a time.
/// </remarks>
public sealed class LearnerRanks : IDisposable
{
    private readonly WorkerGroup _threads;

    /// <summary>Creates <paramref name="count"/> ranks: the caller plus <paramref name="count"/> − 1 worker threads.</summary>
    /// <param name="count">Ranks (K, <c>--num-learners</c>); 1 runs everything on the caller.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in 1 … 64.</exception>
    public LearnerRanks(int count) => _threads = new WorkerGroup(count, "learner rank");

    /// <summary>Ranks (K), rank 0 included.</summary>
    public int Count => _threads.Count;

    /// <summary>Runs <paramref name="body"/>(rank) for every rank at once, rank 0 on the calling thread, and returns when all are done.</summary>
    /// <remarks>An exception from any rank is rethrown here once every rank has finished (the lowest rank's first).</remarks>
    /// <exception cref="InvalidOperationException">Another thread is running a phase on this instance.</exception>
    public void Run(Action<int> body) => _threads.Run(body);

    /// <summary>Stops the worker threads; the instance cannot be used afterwards.</summary>
    public void Dispose() => _threads.Dispose();
}

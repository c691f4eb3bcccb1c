namespace Tempo.Core.Vector;

/// <summary>
/// The handshake between a caller and a fixed set of worker threads: the caller starts a round, every worker runs
/// its share once, and the caller waits until all have finished.
/// </summary>
/// <remarks>
/// Each wait spins briefly, yielding in its later spins (the next round of a fast env comes within microseconds), and
/// then blocks on a monitor, so idle workers cost no CPU. The gates are allocated up front, so no wait allocates, not even the first one to block
/// (<see cref="ManualResetEventSlim"/> creates its lock object lazily on first block). Memory ordering: everything the
/// caller writes before <see cref="StartRound"/> is visible to the workers once they see the round, and everything a
/// worker writes before <see cref="FinishRound"/> is visible to the caller once <see cref="WaitForWorkers"/> returns.
/// </remarks>
internal sealed class RoundBarrier(int workerCount)
{
    // As many spins as ManualResetEventSlim makes on a multi-core machine; SpinWait yields in the later ones,
    // so a spinning thread lets others (the env's own threads, other processes) run.
    private const int SpinsBeforeBlocking = 35;

    private readonly object _startGate = new();
    private readonly object _doneGate = new();
    private long _round;
    private int _pending;

    /// <summary>Called by the caller: releases every worker into a new round.</summary>
    public void StartRound()
    {
        Volatile.Write(ref _pending, workerCount);
        lock (_startGate)
        {
            _round++;
            Monitor.PulseAll(_startGate);
        }
    }

    /// <summary>Called by a worker: waits until a round after <paramref name="lastRound"/> starts, and returns it.</summary>
    public long WaitForRound(long lastRound)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _round) == lastRound)
        {
            if (spinner.Count >= SpinsBeforeBlocking)
            {
                lock (_startGate)
                {
                    // Checked under the gate: StartRound pulses under it, so no wake-up is lost.
                    while (_round == lastRound)
                    {
                        Monitor.Wait(_startGate);
                    }
                }

                break;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return Volatile.Read(ref _round);
    }

    /// <summary>Called by a worker when its share of the round is done.</summary>
    public void FinishRound()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            lock (_doneGate)
            {
                Monitor.PulseAll(_doneGate);
            }
        }
    }

    /// <summary>Called by the caller: waits until every worker has finished the current round.</summary>
    public void WaitForWorkers()
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _pending) != 0)
        {
            if (spinner.Count >= SpinsBeforeBlocking)
            {
                lock (_doneGate)
                {
                    while (Volatile.Read(ref _pending) != 0)
                    {
                        Monitor.Wait(_doneGate);
                    }
                }

                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}

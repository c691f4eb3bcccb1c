namespace Tempo.Tests.Shared;

/// <summary>Measures what code allocates and how often the garbage collector ran, for the tests that hold hot paths to zero allocations.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated on the calling thread by <paramref name="repetitions"/> calls of <paramref name="action"/>, after
    /// <paramref name="warmUp"/> calls that are not counted: the least over <paramref name="rounds"/> rounds.
    /// </summary>
    /// <remarks>
    /// Per-thread counts are exact and ignore other tests running in parallel; work the action hands to other threads
    /// (kernel workers) is not counted, so measure such code with one kernel thread too, where every piece runs on the
    /// caller. The least round is taken because tiered compilation replaces hot methods at moments of its choosing and
    /// may allocate on the calling thread when it does; code that allocates in steady state does so in every round.
    /// </remarks>
    public static long OnThisThread(Action action, int warmUp, int repetitions, int rounds = 3)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        for (var i = 0; i < warmUp; i++)
        {
            action();
        }

        var least = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < repetitions; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    /// <summary>Collections of any generation the process went through while <paramref name="action"/> ran (gen-0 counts include the deeper ones).</summary>
    /// <remarks>Process-wide: only meaningful when nothing else runs, e.g. a test that owns a whole training run in a collection of its own.</remarks>
    public static int CollectionsDuring(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = GC.CollectionCount(0);
        action();
        return GC.CollectionCount(0) - before;
    }
}

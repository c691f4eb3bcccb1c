using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Tests.Metrics;
using Tempo.Runtime.Tests.Transport;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>
/// Issue #9: a garbage collection suspends every managed thread, actors included, so after warm-up a whole training
/// run (acting, learning, publishing the policy, reporting to metrics.csv and TensorBoard) must not collect at all.
/// </summary>
/// <remarks>
/// <para>Each case trains through <see cref="Trainer.Train"/> as a user would, without a console display, and counts
/// collections between update <see cref="WarmUpUpdates"/> (JIT, tiering, buffers grown, the segment pool filled) and
/// update <see cref="WarmUpUpdates"/> + <see cref="SteadyUpdates"/>, when it cancels the run. Periodic checkpoints copy
/// every weight into a new image, so <c>CheckpointEvery</c> puts none in the stretch; only the final one, after it, is
/// written.</para>
/// <para>How long the stretch must be: the gen-0 budget is what the process may allocate between two collections. On
/// the 2-core CI machine (AMD EPYC, 32 MiB L3) the workstation GC's gen-0 budget, read by <see cref="Gen0Budget"/>, is
/// 16 MiB (the GC sizes it from the L3 cache). Over <see cref="SteadyUpdates"/> = 300 updates, anything above 56 KB per
/// update therefore collects at least once, whatever the heap held when the stretch began: the CNN's fresh policy
/// snapshot per update (over 400 KB, on the large-object heap) did. The CartPole MLP's (36.6 KB) and the report's
/// copies (400 bytes) collect only sometimes or never in 300 updates, so the test also bounds the bytes the whole
/// process allocates in the stretch by <see cref="StretchByteLimit"/>: 1 MiB, so 3.5 KB per update fails. What the
/// runtime's own threads allocate meanwhile (tiered compilation, timers) measured at most 40 KB per stretch, a
/// 25-fold margin. A failure prints the bytes, the learner thread's share and the budget.</para>
/// <para>The stretch starts with a gen-0 collection. The budget is dynamic (the GC resizes it after each collection from
/// what survived; 2 MiB was read on a CI run), so without it a stretch that allocates well under the byte limit (142 KB,
/// the runtime's own threads included) could still collect if the warm-up had left gen 0 nearly full: whether it did
/// would depend on the warm-up, not on the stretch. From an empty gen 0, a collection in the stretch means the stretch
/// itself allocated a whole budget.</para>
/// <para>The collection is process-wide, hence the collection that runs these tests alone.</para>
/// <para>Up to <see cref="Stretches"/> stretches are measured, one after another, and the run stops at the first clean
/// one: the least-of-rounds rule of <c>Allocations.OnThisThread</c>, kept by hand because this measure is process-wide.
/// The runtime's own threads allocate at moments of their choosing (tiered compilation is later beside CPU hogs), while
/// a cost per update shows in every stretch.</para>
/// </remarks>
[Collection(nameof(AllocationSensitiveTests))]
public sealed class SteadyStateCollectionTests : IDisposable
{
    private const int WarmUpUpdates = 50;
    private const int SteadyUpdates = 300;
    private const long StretchByteLimit = 1 << 20;
    private const int Stretches = 3;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_SyncPpoOnCartPoleWithMlp_CollectsNothingInSteadyState()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("CartPole-v1"));

        AssertNoCollectionInSteadyState(registry, defaults);
    }

    [Fact]
    public void Train_SyncPpoOnCatchFramesWithCnn_CollectsNothingInSteadyState()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("Catch-v0"));

        AssertNoCollectionInSteadyState(registry, SmallCatch(defaults));
    }

    [Fact]
    public void Train_AsyncAppoOnCartPoleWithMlp_CollectsNothingInSteadyState()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("CartPole-v1"), "appo");

        AssertNoCollectionInSteadyState(registry, defaults with { Schedule = ScheduleKind.Asynchronous });
    }

    [Fact]
    public void Train_AsyncAppoOnCatchFramesWithCnn_CollectsNothingInSteadyState()
    {
        var registry = EnvRegistry.CreateDefault();
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("Catch-v0"), "appo");

        AssertNoCollectionInSteadyState(registry, SmallCatch(defaults) with { Schedule = ScheduleKind.Asynchronous });
    }

    // 36×36 frames and short rollouts keep a CNN update in the tens of milliseconds, so 350 of them fit in a test.
    private static RunSettings SmallCatch(RunSettings defaults) => defaults with
    {
        EnvOptions = new CatchOptions { FrameHeight = 36, FrameWidth = 36 },
        Collection = defaults.Collection with { NumEnvs = 4, NumSteps = 16 },
    };

    private void AssertNoCollectionInSteadyState(EnvRegistry registry, RunSettings settings)
    {
        using var stop = new CancellationTokenSource();
        var probe = new CollectionProbe(WarmUpUpdates, SteadyUpdates, Stretches, stop);
        var run = settings with
        {
            RunDirectory = _directory.File("run"),

            // A budget the probe's cancel always cuts short, and no periodic checkpoint before it does.
            Collection = settings.Collection with { TotalTimesteps = 100L * (WarmUpUpdates + (Stretches * SteadyUpdates)) * settings.Collection.NumEnvs * settings.Collection.NumSteps * settings.Async.NumActors },
            CheckpointEvery = 100 * (WarmUpUpdates + (Stretches * SteadyUpdates)),
        };

        var outcome = Trainer.Train(registry, run, new RunHooks { Callbacks = probe }, stop.Token);

        Assert.True(outcome.Cancelled, "The run ended before the probe's last update.");
        Assert.True(
            probe.Stretches.Any(IsClean),
            $"Every stretch of {SteadyUpdates} steady-state updates of {run.Env} ({run.Schedule}) collected or allocated {StretchByteLimit} bytes or more: "
            + string.Join("; ", probe.Stretches.Select(s => $"collections (gen0, gen1, gen2) {s.Collections}, the process {s.Bytes} bytes ({s.Bytes / SteadyUpdates} per update), the learner thread {s.LearnerThreadBytes}"))
            + $"; gen-0 budget {Gen0Budget()} bytes.");
    }

    /// <summary>The gen-0 budget, through the runtime's internal probe when it has one; -1 where it does not (only used in messages).</summary>
    private static long Gen0Budget() =>
        typeof(GC).GetMethod("GetGenerationBudget", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.Invoke(null, [0]) is long budget ? budget : -1;

    private static bool IsClean(SteadyStretch stretch) => stretch.Collections == (0, 0, 0) && stretch.Bytes < StretchByteLimit;

    /// <summary>
    /// Records collection counts and allocated bytes over stretches of <paramref name="length"/> updates from update
    /// <paramref name="first"/>, and cancels the run after the first clean stretch or the <paramref name="most"/>-th.
    /// </summary>
    private sealed class CollectionProbe(int first, int length, int most, CancellationTokenSource stop) : ITrainingCallbacks
    {
        private readonly List<SteadyStretch> _stretches = [];
        private (int Gen0, int Gen1, int Gen2) _collections;
        private long _bytes;
        private long _threadBytes;

        public IReadOnlyList<SteadyStretch> Stretches => _stretches;

        public void OnUpdateFinished(in UpdateFinished update)
        {
            if (update.Iteration < first || (update.Iteration - first) % length != 0 || _stretches.Count == most)
            {
                return;
            }

            if (update.Iteration > first)
            {
                var now = Collections();
                var stretch = new SteadyStretch(
                    (now.Gen0 - _collections.Gen0, now.Gen1 - _collections.Gen1, now.Gen2 - _collections.Gen2),
                    GC.GetTotalAllocatedBytes(precise: true) - _bytes,
                    GC.GetAllocatedBytesForCurrentThread() - _threadBytes);
                _stretches.Add(stretch);
                if (IsClean(stretch) || _stretches.Count == most)
                {
                    stop.Cancel();
                    return;
                }
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            _collections = Collections();
            _bytes = GC.GetTotalAllocatedBytes(precise: true);
            _threadBytes = GC.GetAllocatedBytesForCurrentThread();
        }

        private static (int Gen0, int Gen1, int Gen2) Collections() => (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    private readonly record struct SteadyStretch((int Gen0, int Gen1, int Gen2) Collections, long Bytes, long LearnerThreadBytes);
}

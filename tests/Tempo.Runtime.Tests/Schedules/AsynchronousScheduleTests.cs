using System.Diagnostics;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Live;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Tests.Training;
using Tempo.Runtime.Threading;
using Tempo.Runtime.Training;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>
/// The asynchronous schedule's promises (docs/design.md): a slow learner never stalls the actors, stale and
/// overflowing segments are dropped and counted, and a run stops cleanly on cancellation or failure.
/// </summary>
/// <remarks>Timing assertions use wide margins: the test machine has two cores shared with parallel builds.</remarks>
[Collection(WallClockTests.Name)]
public sealed class AsynchronousScheduleTests
{
    private const double TickRateHertz = 100;
    private const double BlockedSeconds = 2;

    [Fact]
    public void Run_LearnerBlockedTwoSeconds_ActorKeepsStepping()
    {
        using var rig = new Rig(actors: 1, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { FirstUpdateDelay = TimeSpan.FromSeconds(BlockedSeconds) };

        // 10 steps per segment at 100 Hz: the first update starts after ~0.1 s and blocks 2 s; the run lasts ~3.5 s.
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = 350, StepsPerSegment = 10 });
        schedule.Run();

        var (from, until) = learner.FirstBlock;
        Assert.True(until - from >= BlockedSeconds * Stopwatch.Frequency * 0.99, "the learner did not block");
        var stepsWhileBlocked = rig.Envs[0].StepTimestamps.Count(t => t >= from && t <= until);
        var expected = BlockedSeconds * TickRateHertz;

        // Each Step waits for one world tick, so the actor cannot exceed the tick rate; it must not fall far below it.
        Assert.InRange(stepsWhileBlocked, expected / 2, expected * 1.1);
        var gaps = rig.Gaps[0].ActionGaps.Run;
        Assert.True(gaps.Max < TimeSpan.FromMilliseconds(250), $"max action gap {gaps.Max} while the learner was blocked for {BlockedSeconds} s");
        Assert.True(MaxGap(rig.Envs[0].StepTimestamps) < TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Run_PrioritizingActors_LearnerRunsAtTheLearnersNiceValueAfterItsWarmUpAndActorsDoNot()
    {
        using var rig = new Rig(actors: 1, live: false);
        var learner = new ScriptedLearner(rig.WeightCount);
        using var cancellation = new CancellationTokenSource();
        const int warmUp = LearnerHost<float, int>.WarmUpUpdates;
        int? firstUpdateNiceness = null;
        int? learnerNiceness = null;
        int? actorNiceness = null;
        var schedule = rig.Schedule(
            learner,
            new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 },
            new DelegateCallbacks(finished: u =>
            {
                // Read inside the updates: the first one runs before the learner gives way, the one after the warm-up after.
                if (u.Iteration == 1)
                {
                    firstUpdateNiceness = ThreadNiceness.Current();
                }

                if (u.Iteration == warmUp + 1)
                {
                    learnerNiceness = ThreadNiceness.Current();
                    cancellation.Cancel();
                }
            }));
        rig.Envs[0].OnStep = () => actorNiceness ??= ThreadNiceness.Current();

        // On its own thread, since a nice value raised without privilege cannot be put back.
        Threading.ThreadNicenessTests.RunOnNewThread(() => schedule.Run(cancellation.Token));

        Assert.True(schedule.Statistics.Updates > warmUp);
        if (OperatingSystem.IsLinux())
        {
            // While it compiles its code the learner keeps its nice value, so locks it holds are never held by a starved thread.
            Assert.True(firstUpdateNiceness < ThreadNiceness.Learner, $"learner nice value {firstUpdateNiceness} during warm-up");
            Assert.Equal(ThreadNiceness.Learner, learnerNiceness);
            Assert.True(actorNiceness < ThreadNiceness.Learner, $"actor nice value {actorNiceness}");
        }
    }

    [Fact]
    public void Run_SmallLagLimitAndSlowLearner_DropsStaleSegmentsBeforeUpdate()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(30) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxPolicyLag = 0, QueueCapacity = 8 };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u => CancelAfter(u.Iteration, 8, cancellation)));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.True(statistics.Lag.DroppedStale > 0, $"no stale segment was dropped: {statistics.Lag}");
        Assert.True(statistics.Updates >= 8);
        Assert.NotEmpty(learner.Received);
        Assert.All(learner.Received, r => Assert.InRange(r.Learner.LagOf(r.Behaviour), 0, options.MaxPolicyLag));
        Assert.Equal(statistics.Updates * options.SegmentsPerUpdate, learner.Received.Count);
    }

    [Fact]
    public void Run_LagLimitOneWithWaitingChannel_NoSegmentOlderThanOneVersionIsTrained()
    {
        // A waiting channel keeps old segments (a dropping one would replace them with fresh ones), so lags above one occur.
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(30) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxPolicyLag = 1, SegmentsPerUpdate = 2, WhenFull = QueueFullMode.Wait };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u => CancelAfter(u.Iteration, 8, cancellation)));

        schedule.Run(cancellation.Token);

        Assert.True(schedule.Statistics.Lag.DroppedStale > 0, $"no stale segment was dropped: {schedule.Statistics.Lag}");
        Assert.All(learner.Received, r => Assert.InRange(r.Learner.LagOf(r.Behaviour), 0, 1));
    }

    [Fact]
    public void Run_LearnerSlowerThanActorsWithDropOldest_DropsFullAndActorsNeverBlock()
    {
        using var rig = new Rig(actors: 2, live: false);
        var options = new AsynchronousScheduleOptions
        {
            TotalSteps = long.MaxValue,
            StepsPerSegment = 8,
            QueueCapacity = 4,
            WhenFull = QueueFullMode.DropOldest,
            MaxPolicyLag = 1_000,
        };

        // Each update waits, inside the learner, until every actor has filled two more segments: actors that waited for
        // the learner would never get there (a blocking channel deadlocks here), and 2 actors × 2 segments per update
        // overflow a 4-segment queue. The wait is bounded generously (a starved thread on a loaded 2-core machine gets
        // a slice within a few hundred milliseconds) so a broken schedule fails instead of hanging.
        var waits = new List<bool>();
        var learner = new ScriptedLearner(rig.WeightCount)
        {
            DuringUpdate = () =>
            {
                var start = rig.Envs.Select(e => e.Steps).ToArray();
                waits.Add(SpinWait.SpinUntil(
                    () => rig.Envs.Select((e, k) => e.Steps >= start[k] + (2 * options.StepsPerSegment)).All(stepped => stepped),
                    TimeSpan.FromSeconds(20)));
            },
        };
        using var cancellation = new CancellationTokenSource();
        var samples = new List<(long[] Steps, SegmentPoolStatistics Pool)>();
        AsynchronousSchedule<float, int>? schedule = null;
        schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u =>
        {
            samples.Add((rig.Envs.Select(e => e.Steps).ToArray(), schedule!.Statistics.Pool));
            CancelAfter(u.Iteration, 10, cancellation);
        }));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.True(statistics.Channel.DroppedFull > 0, $"the channel never overflowed: {statistics.Channel}");
        Assert.Equal(statistics.Channel.Written, statistics.Channel.Read + statistics.Channel.DroppedFull + statistics.Channel.Count);

        // While the learner was inside every update, each actor kept stepping.
        Assert.NotEmpty(waits);
        Assert.All(waits, reached => Assert.True(reached, "an actor made no progress while the learner was inside an update"));

        // Segments in flight: one per actor, a full queue, the learner's batch. Everything else went back to the pool,
        // so the pool stops allocating once it holds that many.
        var inFlight = rig.Envs.Length + options.QueueCapacity + options.SegmentsPerUpdate;
        Assert.All(samples, s => Assert.InRange(s.Pool.Outstanding, 0, inFlight));
        Assert.InRange(statistics.Pool.Outstanding, 0, inFlight);
        Assert.InRange(statistics.Pool.Allocated, 1, inFlight + 2);
        Assert.True(statistics.Pool.Rented > statistics.Pool.Allocated * 3, $"segments were not reused: {statistics.Pool}");
    }

    [Fact]
    public void Run_Cancelled_ReturnsPromptlyAndJoinsActorThreads()
    {
        using var rig = new Rig(actors: 2, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(20) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 10 });

        var clock = Stopwatch.StartNew();
        schedule.Run(cancellation.Token);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"Run took {clock.Elapsed} to stop after cancellation at 0.5 s");
        AssertActorThreadsExited(rig);
    }

    [Fact]
    public void Run_OnlyActorThrowsWithoutRestarts_SurfacesAsAggregateExceptionAndJoinsThreads()
    {
        // One actor failing no longer ends a run while others act; with no actor left (and no restarts allowed) it does.
        using var rig = new Rig(actors: 1, live: false, failOnStep: [300]);
        var learner = new ScriptedLearner(rig.WeightCount);
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 });

        var error = Assert.Throws<AggregateException>(() => schedule.Run());

        var inner = Assert.Single(error.InnerExceptions);
        Assert.Contains("Scripted env failure on step 300", inner.Message, StringComparison.Ordinal);
        AssertActorThreadsExited(rig);
    }

    [Fact]
    public void Run_LearnerThrows_SurfacesAsAggregateExceptionAndJoinsThreads()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { FailOnUpdate = 3 };
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 });

        var error = Assert.Throws<AggregateException>(() => schedule.Run());

        var inner = Assert.Single(error.InnerExceptions);
        Assert.Contains("Scripted learner failure on update 3", inner.Message, StringComparison.Ordinal);
        AssertActorThreadsExited(rig);
    }

    [Fact]
    public void Run_CompletesWithSegmentsQueued_TrainsOnEveryOneHandedOverAndLeaksNothing()
    {
        // A learner slower than the actors keeps the queue full, so the budget is reached with segments still queued:
        // the learner trains on them before it stops, and only a last incomplete batch is left untrained.
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(10) };
        var options = new AsynchronousScheduleOptions { TotalSteps = 20_000, StepsPerSegment = 8, QueueCapacity = 4, SegmentsPerUpdate = 2, MaxPolicyLag = 1_000 };
        var schedule = rig.Schedule(learner, options);

        schedule.Run();

        var statistics = schedule.Statistics;
        var handedOver = statistics.Channel.Written - statistics.Channel.DroppedFull;
        Assert.Equal(statistics.Channel.Written - statistics.Channel.DroppedFull, statistics.Channel.Read);
        Assert.Equal(handedOver - statistics.Lag.DroppedStale, learner.Received.Count + statistics.Discarded);
        Assert.InRange(statistics.Discarded, 0, options.SegmentsPerUpdate - 1);
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_WireCheck_EverySegmentAndSnapshotCrossesTheCodecsAndNothingLeaks()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount);
        var options = new AsynchronousScheduleOptions { TotalSteps = 4_000, StepsPerSegment = 8, QueueCapacity = 4, SegmentsPerUpdate = 2, MaxPolicyLag = 1_000, WhenFull = QueueFullMode.Wait, WireCheck = true };
        var schedule = rig.Schedule(learner, options);

        schedule.Run();

        var statistics = schedule.Statistics;
        var wire = Assert.NotNull(statistics.Wire);
        Assert.Equal(statistics.Actors.SegmentsWritten, wire.SegmentsEncoded);
        Assert.Equal(statistics.Channel.Read, wire.SegmentsDecoded + wire.SegmentsRejected);
        Assert.Equal(0, wire.SegmentsRejected);
        Assert.Equal(wire.SegmentsDecoded, learner.Received.Count + statistics.Discarded);
        Assert.Equal(statistics.Updates + 1, wire.SnapshotsEncoded);
        Assert.True(wire.SnapshotsDecoded >= 1);
        Assert.True(schedule.GlobalStep >= options.TotalSteps);
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_InProcess_HasNoWireCounters()
    {
        using var rig = new Rig(actors: 1, live: false);
        var schedule = rig.Schedule(new ScriptedLearner(rig.WeightCount), new AsynchronousScheduleOptions { TotalSteps = 200, StepsPerSegment = 8 });

        schedule.Run();

        Assert.Null(schedule.Statistics.Wire);
    }

    [Fact]
    public void Run_CancelledWithSegmentsInFlight_ReturnsEverySegmentToThePool()
    {
        using var rig = new Rig(actors: 2, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(30) };
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 4, QueueCapacity = 4, SegmentsPerUpdate = 3 };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: u => CancelAfter(u.Iteration, 3, cancellation)));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.True(statistics.Discarded > 0, $"nothing was in flight at the end, so the test proves nothing: {statistics}");
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_CancelledWhileActorsWaitForRoom_ReturnsTheSegmentsTheyHold()
    {
        // With a waiting channel and a learner held in its first update, the queue fills and each actor then waits
        // with a full segment it cannot write; the run is cancelled once they all do.
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount);
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, QueueCapacity = 2, WhenFull = QueueFullMode.Wait, MaxPolicyLag = 1_000 };
        AsynchronousSchedule<float, int>? schedule = null;
        var held = options.QueueCapacity + rig.Envs.Length + options.SegmentsPerUpdate;
        schedule = rig.Schedule(learner, options, new DelegateCallbacks(starting: _ =>
        {
            Assert.True(SpinWait.SpinUntil(() => schedule!.Statistics.Pool.Outstanding == held, TimeSpan.FromSeconds(10)), $"the actors never filled the queue: {schedule!.Statistics}");
            cancellation.Cancel();
        }));

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.Equal(1, statistics.Updates);
        Assert.Equal(0, statistics.Channel.DroppedFull);
        Assert.Equal(options.QueueCapacity + rig.Envs.Length, statistics.Discarded);
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_LearnerThrowsWithABatchInHand_ReturnsTheBatchToThePool()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { FailOnUpdate = 2 };
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, SegmentsPerUpdate = 3 });

        Assert.Throws<AggregateException>(() => schedule.Run());

        Assert.True(schedule.Statistics.Discarded >= 3, $"the failed update's batch was not discarded: {schedule.Statistics}");
        AssertNothingLeaked(schedule.Statistics);
    }

    [Fact]
    public void Run_ActorsThrowMidSegment_ReturnTheSegmentsTheyWereFilling()
    {
        // Both fail (300 and 404 are not multiples of the 8-step segment), so the run ends with no actor left.
        using var rig = new Rig(actors: 2, live: false, failOnStep: [300, 404]);
        var learner = new ScriptedLearner(rig.WeightCount);
        var schedule = rig.Schedule(learner, new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 });

        Assert.Throws<AggregateException>(() => schedule.Run());

        AssertNothingLeaked(schedule.Statistics);
    }

    [Fact]
    public void Run_StepBudget_ActorsStopWithinOneSegmentEachOfIt()
    {
        using var rig = new Rig(actors: 2, live: false);
        var learner = new ScriptedLearner(rig.WeightCount) { UpdateDelay = TimeSpan.FromMilliseconds(20) };
        var options = new AsynchronousScheduleOptions { TotalSteps = 4_000, StepsPerSegment = 8 };
        var schedule = rig.Schedule(learner, options);

        schedule.Run();

        // Actors check the budget before each segment; a slow learner must not let them run on while it trains.
        Assert.InRange(schedule.GlobalStep, options.TotalSteps, options.TotalSteps + (rig.Envs.Length * options.StepsPerSegment));
        Assert.Equal(schedule.GlobalStep, rig.Envs.Sum(e => e.Steps));
    }

    [Fact]
    public void Run_FirstSegment_IsCollectedWithTheLearnersWeights()
    {
        // The learner's snapshot holds zero weights, a uniform policy over CartPole's two actions; the actors'
        // own networks start from other random weights. Version 0 on both sides must not hide the difference.
        using var rig = new Rig(actors: 1, live: false);
        var learner = new ScriptedLearner(rig.WeightCount);
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8 };
        var schedule = rig.Schedule(learner, options, new DelegateCallbacks(finished: _ => cancellation.Cancel()));

        schedule.Run(cancellation.Token);

        var logProbs = Assert.IsType<float[]>(learner.FirstBehaviourLogProbs);
        Assert.All(logProbs, p => Assert.Equal(MathF.Log(0.5f), p, 1e-6f));
    }

    [Fact]
    public void Run_LearnerDrainsAQueuedBacklog_ReportsNeverRepeatAStepAndSpsFollowsTheActors()
    {
        // The learner blocks for a second while two 100 Hz actors fill the queue, then drains it in microseconds per
        // update. Reports per update would repeat the global step with SPS 0 during the drain (the old symptom).
        using var rig = new Rig(actors: 2, live: true);
        var learner = new ScriptedLearner(rig.WeightCount) { FirstUpdateDelay = TimeSpan.FromSeconds(1) };
        var sink = new CapturingSink();
        var monitor = new TrainingMonitor(sink, TimeProvider.System, targetReturn: null, _ => { }) { ReportInterval = TimeSpan.FromMilliseconds(250) };
        var options = new AsynchronousScheduleOptions { TotalSteps = 2 * 250, StepsPerSegment = 5, QueueCapacity = 16 };
        var schedule = rig.Schedule(learner, options, monitor);

        schedule.Run();
        monitor.Flush();

        var reports = sink.Reports;
        Assert.True(schedule.Statistics.Updates > reports.Count, $"{schedule.Statistics.Updates} updates, {reports.Count} reports: the backlog was never drained");
        Assert.InRange(reports.Count, 2, 20);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].GlobalStep > reports[i - 1].GlobalStep, $"reports {i} and {i + 1} have step {reports[i].GlobalStep}");
        }

        // Two actors at 100 Hz take 200 steps/s; SPS is the actors' steps over wall time, so each report is near it.
        // (The flushed last report may cover a few milliseconds, too few steps for a rate; it must still be positive.)
        var actorsRate = rig.Envs.Length * TickRateHertz;
        Assert.All(reports[..^1], r => Assert.InRange(r.StepsPerSecond, actorsRate / 4, actorsRate * 1.25));
        Assert.True(reports[^1].StepsPerSecond > 0);
    }

    [Fact]
    public void Run_ActorThrowsMidRun_IsCountedAndRestartedWhileLearningContinues()
    {
        using var rig = new Rig(actors: 2, live: false, failOnStep: [null, 300]);
        var learner = new ScriptedLearner(rig.WeightCount);
        // A waiting channel loses nothing, so the learner trains on every segment and its update count shows it kept going.
        var options = new AsynchronousScheduleOptions { TotalSteps = 20_000, StepsPerSegment = 8, MaxRestartsPerActor = 1, MaxPolicyLag = 1_000, WhenFull = QueueFullMode.Wait };
        var schedule = rig.Schedule(learner, options);

        schedule.Run();

        var statistics = schedule.Statistics;
        Assert.Equal(1, statistics.Actors.Failures);
        Assert.Equal(1, statistics.Actors.Restarts);
        var rebuilt = Assert.Single(rig.RebuiltEnvs);
        Assert.True(rebuilt.Steps > 0, "the rebuilt actor never stepped");

        // The failed actor's 299 completed steps count, and the budget holds across the restart.
        var stepped = rig.Envs.Sum(e => e.Steps) - 1 + rebuilt.Steps;
        Assert.InRange(schedule.GlobalStep, options.TotalSteps, options.TotalSteps + (2 * options.StepsPerSegment));
        Assert.Equal(stepped, schedule.GlobalStep);
        Assert.True(statistics.Updates > 300 / options.StepsPerSegment, $"learning stopped with the failure: {statistics}");
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_RestartLimitReached_ActorStaysDownAndTheOthersFinishTheRun()
    {
        using var rig = new Rig(actors: 2, live: false, failOnStep: [null, 100]);
        var learner = new ScriptedLearner(rig.WeightCount);
        using var cancellation = new CancellationTokenSource();
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxRestartsPerActor = 2, MaxPolicyLag = 1_000 };
        AsynchronousSchedule<float, int>? schedule = null;
        long? lastFailureAt = null;
        schedule = rig.Schedule(
            learner,
            options,
            new DelegateCallbacks(finished: u =>
            {
                // Once the third failure left actor 1 down for good, the run must keep learning from actor 0.
                if (schedule!.Statistics.Actors.Failures == 3)
                {
                    lastFailureAt ??= u.Iteration;
                    CancelAfter(u.Iteration, (int)lastFailureAt.Value + 20, cancellation);
                }
            }),
            rebuiltFailOnStep: 50);

        schedule.Run(cancellation.Token);

        var statistics = schedule.Statistics;
        Assert.NotNull(lastFailureAt);
        Assert.Equal(3, statistics.Actors.Failures);
        Assert.Equal(2, statistics.Actors.Restarts);
        Assert.Equal(2, rig.RebuiltEnvs.Count);
        Assert.True(statistics.Updates >= lastFailureAt + 20, $"learning stopped: {statistics}");
        AssertNothingLeaked(statistics);
    }

    [Fact]
    public void Run_EveryActorPastItsRestartLimit_FailsTheRunWithTheirLastErrors()
    {
        using var rig = new Rig(actors: 2, live: false, failOnStep: [20, 30]);
        var learner = new ScriptedLearner(rig.WeightCount);
        var options = new AsynchronousScheduleOptions { TotalSteps = long.MaxValue, StepsPerSegment = 8, MaxRestartsPerActor = 1 };
        var schedule = rig.Schedule(learner, options, rebuiltFailOnStep: 10);

        var error = Assert.Throws<AggregateException>(() => schedule.Run());

        Assert.Equal(2, error.InnerExceptions.Count);
        Assert.All(error.InnerExceptions, e => Assert.Contains("Scripted env failure on step 10", e.ToString(), StringComparison.Ordinal));
        Assert.Equal(4, schedule.Statistics.Actors.Failures);
        AssertNothingLeaked(schedule.Statistics);
    }

    private static void AssertNothingLeaked(AsynchronousScheduleStatistics statistics)
    {
        Assert.Equal(0, statistics.Pool.Outstanding);
        Assert.Equal(0, statistics.Channel.Count);

        // The pool is sized for everything in flight, so every segment it ever allocated rests in it again.
        Assert.Equal(0, statistics.Pool.Discarded);
        Assert.Equal(statistics.Pool.Allocated, statistics.Pool.Available);
    }

    private static void AssertActorThreadsExited(Rig rig)
    {
        foreach (var env in rig.Envs)
        {
            var thread = Assert.IsType<Thread>(env.SteppingThread);
            Assert.StartsWith("tempo-actor-", thread.Name, StringComparison.Ordinal);
            Assert.False(thread.IsAlive, $"{thread.Name} is still running after Run returned");
        }
    }

    private static void CancelAfter(long iteration, int updates, CancellationTokenSource cancellation)
    {
        if (iteration >= updates)
        {
            cancellation.Cancel();
        }
    }

    private static TimeSpan MaxGap(List<long> timestamps)
    {
        long max = 0;
        for (var i = 1; i < timestamps.Count; i++)
        {
            max = Math.Max(max, timestamps[i] - timestamps[i - 1]);
        }

        return Stopwatch.GetElapsedTime(0, max);
    }

    /// <summary>Actors over one env each (plain CartPole, or LiveCartPole at <see cref="TickRateHertz"/>), each env behind a step recorder (a live one behind its action-gap recorder first).</summary>
    private sealed class Rig : IDisposable
    {
        private readonly SyncVectorEnv<float, int>[] _vectors;
        private readonly Actor<float, int>[] _actors;

        public Rig(int actors, bool live, long?[]? failOnStep = null)
        {
            Live = live
                ? Enumerable.Range(0, actors).Select(_ => new LiveCartPole(new LiveCartPoleOptions { Ticks = new LiveTickOptions { TickRateHertz = TickRateHertz } })).ToArray()
                : [];
            Gaps = Live.Select(env => new RecordActionGaps<float, int>(env)).ToArray();
            Envs = Enumerable.Range(0, actors)
                .Select(k => new StepTimesEnv(live ? Gaps[k] : (IEnv<float, int>)new CartPole(), failOnStep?[k]))
                .ToArray();
            _vectors = Envs.Select(e => new SyncVectorEnv<float, int>([e])).ToArray();
            _actors = new Actor<float, int>[actors];
            for (var k = 0; k < actors; k++)
            {
                var policy = new CategoricalMlpActorCritic(4, 2, [8], new RandomSource(k));
                WeightCount = policy.WeightCount;
                _actors[k] = new Actor<float, int>(new ActorId(k), _vectors[k], policy);
                _actors[k].Start(seed: 10 * k);
            }
        }

        public StepTimesEnv[] Envs { get; }

        public LiveCartPole[] Live { get; }

        /// <summary>The action-gap recorders worn by the live envs, one per actor.</summary>
        public RecordActionGaps<float, int>[] Gaps { get; }

        public int WeightCount { get; }

        /// <summary>Step counts of the envs of rebuilt actors.</summary>
        public List<StepTimesEnv> RebuiltEnvs { get; } = [];

        public AsynchronousSchedule<float, int> Schedule(ScriptedLearner learner, AsynchronousScheduleOptions options, ITrainingCallbacks? callbacks = null, long? rebuiltFailOnStep = null) =>
            new(_actors, learner, options, callbacks ?? new DelegateCallbacks(), id => Rebuild(id, rebuiltFailOnStep));

        public void Dispose()
        {
            foreach (var vector in _vectors.Concat(_rebuilt))
            {
                vector.Dispose();
            }
        }

        private readonly List<SyncVectorEnv<float, int>> _rebuilt = [];

        private Actor<float, int> Rebuild(ActorId id, long? failOnStep)
        {
            var env = new StepTimesEnv(new CartPole(), failOnStep);
            var vector = new SyncVectorEnv<float, int>([env]);
            lock (_rebuilt)
            {
                RebuiltEnvs.Add(env);
                _rebuilt.Add(vector);
            }

            var actor = new Actor<float, int>(id, vector, new CategoricalMlpActorCritic(4, 2, [8], new RandomSource(100 + id.Value)));
            actor.Start(seed: 1000 + id.Value);
            return actor;
        }
    }
}

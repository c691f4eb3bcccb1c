using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs.Checkpointing;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Runs;

/// <summary>A synchronous run: one actor steps <c>num-envs</c> envs for <c>num-steps</c>, the envs pause if they can, the learner trains, the envs resume (CleanRL's loop); with <c>num-learners</c> K, K ranks each with its own actor and envs, collecting at once on the ranks' threads, their gradients averaged (<see cref="LearnerRanks"/>).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
internal sealed class SynchronousRun<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe)
    : RunComposition<TObservation, TAction>(context, recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // Stream ids of data-parallel ranks ≥ 1 (rank 0 keeps the single-process run's 1 and 2): far from the asynchronous actors' 10 + k.
    private const long RankPolicyStreams = 1_000;
    private const long RankLearnerStreams = 2_000;

    /// <inheritdoc/>
    public override RunOutcome Run()
    {
        var collection = Settings.Collection;
        var ranks = Settings.NumLearners;
        var envs = MakeEnvs(collection.NumEnvs * ranks);
        var rankEnvs = Enumerable.Range(0, ranks).Select(r => envs[(r * collection.NumEnvs)..((r + 1) * collection.NumEnvs)]).ToArray();
        var vectors = new List<SyncVectorEnv<TObservation, TAction>>(ranks);
        var parallelisms = new List<KernelParallelism>(ranks);
        try
        {
            for (var r = 0; r < ranks; r++)
            {
                vectors.Add(new SyncVectorEnv<TObservation, TAction>(rankEnvs[r]));
            }

            var liveEnvs = LiveEnvs(envs);

            // One set of kernel threads for both models of a rank: the synchronous schedule never acts and learns at the same
            // time. A live world that keeps running during updates keeps a core for its own clock thread. Ranks share the
            // cores out: each rank's kernels get an equal part of them, and every rank its own scratch.
            var kernelThreads = Math.Min(Recipe.KernelThreads, Environment.ProcessorCount);
            if (liveEnvs.Length > 0 && !Settings.Pause)
            {
                kernelThreads = 1;
            }

            var threadsPerRank = Math.Max(1, kernelThreads / ranks);
            if (ranks > 1 || threadsPerRank > 1)
            {
                for (var r = 0; r < ranks; r++)
                {
                    parallelisms.Add(new KernelParallelism(threadsPerRank));
                }
            }

            using var learnerRanks = ranks > 1 ? new LearnerRanks(ranks) : null;
            return Train(rankEnvs, vectors, liveEnvs, parallelisms, learnerRanks);
        }
        finally
        {
            parallelisms.ForEach(p => p.Dispose());
            if (vectors.Count == ranks)
            {
                vectors.ForEach(v => v.Dispose());
            }
            else
            {
                Array.ForEach(envs, e => e.Dispose());
            }
        }
    }

    private RunOutcome Train(
        IEnv<TObservation, TAction>[][] rankEnvs,
        List<SyncVectorEnv<TObservation, TAction>> vectors, IEnv[] liveEnvs, List<KernelParallelism> parallelisms, LearnerRanks? learnerRanks)
    {
        var collection = Settings.Collection;
        var ranks = vectors.Count;
        var firstEnvs = rankEnvs[0];
        var space = firstEnvs[0].ObservationSpace;
        var actionSpace = firstEnvs[0].ActionSpace;
        var model = ModelSpecFor(firstEnvs[0]);
        KernelParallelism? Parallelism(int rank) => parallelisms.Count > 0 ? parallelisms[rank] : null;
        var policyRandoms = Enumerable.Range(0, ranks).Select(r => Stream(r == 0 ? 1 : RankPolicyStreams + r)).ToArray();
        var learner = ranks == 1
            ? RunAgents.CreateLearner<TObservation, TAction>(Settings, model, space, actionSpace, Stream(2), Parallelism(0))
            : RunAgents.CreateDataParallelLearner<TObservation, TAction>(
                Settings, model, space, [.. Enumerable.Range(0, ranks).Select(r => Stream(r == 0 ? 2 : RankLearnerStreams + r))], [.. Enumerable.Range(0, ranks).Select(Parallelism)], learnerRanks!);
        var actingModels = Enumerable.Range(0, ranks)
            .Select(r => RunAgents.CreatePolicy<TObservation, TAction>(Settings, model, space, actionSpace, policyRandoms[r], Parallelism(r), StepOffset))
            .ToArray();
        ICheckpointPart[] parts =
        [
            .. Enumerable.Range(0, ranks).Select(r => new ActorCheckpointPart<TObservation, TAction>(
                r == 0 ? RandomStreamKey.Policy : RandomStreamKey.Actor(r), policyRandoms[r], rankEnvs[r], firstEnv: r * collection.NumEnvs, read => read(), streamRequired: true)),
        ];

        // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
        Restore(learner, parts);
        PrepareFolder();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken);
        using var sinks = RunFolder.OpenMetrics(Context.RunDirectory, Context.Resumed is not null, Context.Hooks.Time, Context.Hooks.Progress);
        // An actor-critic update ends a rollout of hundreds of steps: one report each. A replay learner's updates are a few
        // steps apart (dqn.py: 10), where a CSV row, TensorBoard event and console line per update would cost more than training.
        var reportInterval = Settings.Algorithm is Algorithms.Learners.IActorCriticAlgorithm ? TimeSpan.Zero : TimeSpan.FromMilliseconds(100);
        var monitor = CreateMonitor(sinks, stop, liveEnvs, enrich: null, reportInterval);
        var actors = Enumerable.Range(0, ranks).Select(r => new Actor<TObservation, TAction>(new ActorId(r), vectors[r], actingModels[r], monitor)).ToArray();
        using var writer = new BackgroundCheckpointWriter();
        var checkpointer = CreateCheckpointer(writer, learner, model, parts, monitor, () => actors.Sum(a => a.Steps));

        // Rank r's env i is seeded seed + r × num-envs + i: the single-process run's seeds when one rank steps them all.
        for (var r = 0; r < ranks; r++)
        {
            actors[r].Start(unchecked(Context.FirstEnvSeed + (r * collection.NumEnvs)));
        }

        var schedule = new SynchronousSchedule<TObservation, TAction>(
            actors,
            learner,
            new SynchronousScheduleOptions
            {
                Iterations = Math.Max(0, Settings.LearnerShape.Updates - learner.Progress.Updates),
                StepsPerRollout = collection.NumSteps,
                PauseDuringUpdates = Settings.Pause,
            },
            Callbacks(monitor, checkpointer),
            learnerRanks);
        if (liveEnvs.Length > 0)
        {
            CollectSetupGarbage();
        }

        schedule.Run(stop.Token);

        // The report held back by the interval: without it a replay run's last row (or, under 100 ms, every row) is lost.
        monitor.Flush();
        checkpointer.SaveNow();
        writer.Flush();
        return Outcome(monitor, schedule.GlobalStep);
    }
}

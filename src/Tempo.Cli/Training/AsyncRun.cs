using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Training;
using Tempo.Runtime.Transport;

namespace Tempo.Cli.Training;

/// <summary>Composes an asynchronous run: K actor threads (each with its own envs and policy copy), one learner (APPO or IMPALA), metrics and checkpoints.</summary>
/// <remarks>
/// Checkpoints hold what PPO's do (weights, Adam state, counters, normalizer statistics, random streams) plus the
/// transitions trained on, which drive APPO's and IMPALA's learning-rate annealing. Actor-side state (each actor's
/// sampling stream, its envs' normalizers) is read at a step boundary of that actor
/// (<see cref="Actor{TObservation, TAction}.ReadBetweenSteps"/>). Segments in flight are not saved: a resumed run's
/// actors collect anew from the restored policy version.
/// </remarks>
internal static class AsyncRun
{
    /// <summary>The least time between two reports: actors hand over steps a segment at a time, independently of learner updates, so reports go by wall time.</summary>
    private static readonly TimeSpan _reportInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs asynchronous training as <paramref name="settings"/> say and returns what happened.</summary>
    /// <param name="registry">Where envs come from.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="progress">The console progress sink.</param>
    /// <param name="announce">Prints a line for people.</param>
    /// <param name="time">The clock.</param>
    /// <param name="resumeFrom">A checkpoint to continue from, or null for a fresh run.</param>
    /// <param name="cancellationToken">Stops the run; a checkpoint is still written.</param>
    public static TrainOutcome Run(
        EnvRegistry registry, TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, string? resumeFrom, CancellationToken cancellationToken)
    {
        if (settings.Algo == TrainAlgorithm.Ppo)
        {
            throw new ArgumentException("PPO is on-policy and runs on the sync schedule; for the async schedule use --algo appo (PPO with V-trace correction) or --algo impala.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.NumActors);
        settings.Ppo.Validate();
        if (resumeFrom is not null)
        {
            // Before anything is written to the run folder, so a refused resume leaves it as it was.
            RunCheckpoint.RequireResumable(CheckpointFile.ReadMetadata(resumeFrom), resumeFrom, settings);
        }

        return PpoRecipes.Dispatch(registry, settings, new Training(settings, progress, announce, time, resumeFrom, cancellationToken));
    }

    private static TrainOutcome Run<TObservation, TAction>(
        TrainSettings settings,
        PpoRecipe<TObservation, TAction> recipe,
        IMetricsSink progress,
        Action<string> announce,
        TimeProvider time,
        string? resumeFrom,
        CancellationToken cancellationToken)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var ppo = settings.Ppo;
        var config = RunFolder.Prepare(settings);
        var checkpointPath = RunFolder.CheckpointPath(settings.RunDir);

        var vectors = new List<SyncVectorEnv<TObservation, TAction>>();
        var actorEnvs = new List<IEnv<TObservation, TAction>[]>();
        var liveEnvs = new List<ILiveEnv>();
        try
        {
            for (var k = 0; k < settings.NumActors; k++)
            {
                var envs = new IEnv<TObservation, TAction>[ppo.NumEnvs];
                for (var i = 0; i < envs.Length; i++)
                {
                    envs[i] = recipe.MakeEnv();
                    if (envs[i].TryFind<ILiveEnv>(out var live))
                    {
                        liveEnvs.Add(live);
                    }
                }

                actorEnvs.Add(envs);
                vectors.Add(new SyncVectorEnv<TObservation, TAction>(envs));
            }

            var learner = CreateLearner(settings, recipe.MakeModel(actorEnvs[0][0], new RandomSource(settings.Seed)));

            // Each actor has its own policy copy (snapshots are loaded into it) and its own sampling stream.
            var actorRandoms = new RandomSource[settings.NumActors];
            var policies = new IPolicy<TObservation, TAction>[settings.NumActors];
            for (var k = 0; k < settings.NumActors; k++)
            {
                actorRandoms[k] = new RandomSource(RandomSource.DeriveSeed(settings.Seed, 10 + k));
                policies[k] = recipe.MakeModel(actorEnvs[k][0], actorRandoms[k]);
            }

            // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
            TrainingCheckpoint? resumed = null;
            if (resumeFrom is not null)
            {
                resumed = CheckpointFile.Load(resumeFrom, learner.Learner.Model.NamedParameters, learner.Learner.Optimizer.State);
                learner.Restore(resumed);
                for (var k = 0; k < settings.NumActors; k++)
                {
                    // A run resumed with more actors than it saved gives the new ones fresh streams.
                    if (resumed.RandomStates.TryGetValue(ActorStreamName(k), out var state))
                    {
                        actorRandoms[k].SetState(state);
                    }
                }

                RunCheckpoint.RestoreNormalizers([.. actorEnvs.SelectMany(e => e)], resumed);
            }

            var stepOffset = resumed?.GlobalStep ?? 0;
            var resumes = resumed is null ? 0 : resumed.Resumes + 1;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sinks = RunFolder.OpenMetrics(settings.RunDir, resumed is not null, time, progress);

            var actors = new Actor<TObservation, TAction>[settings.NumActors];
            var firstSeed = resumes == 0 ? settings.Seed : (int)RandomSource.DeriveSeed(settings.Seed, 100 + resumes);
            for (var k = 0; k < settings.NumActors; k++)
            {
                actors[k] = new Actor<TObservation, TAction>(new ActorId(k), vectors[k], policies[k]);
                actors[k].Start(unchecked(firstSeed + (k * ppo.NumEnvs)));
            }

            AsynchronousSchedule<TObservation, TAction>? schedule = null;
            var monitor = new TrainingMonitor(
                sinks,
                time,
                settings.TargetReturn,
                line =>
                {
                    announce(line);
                    stop.Cancel();
                },
                stepOffset)
            {
                Enrich = report => AddRunCounters(report, schedule!.Statistics, liveEnvs),
                ReportInterval = _reportInterval,
            };

            using var checkpointWriter = new BackgroundCheckpointWriter();
            var checkpointer = new PeriodicCheckpointer(settings.CheckpointEvery, () =>
            {
                // Actor-side state is read at each actor's next step boundary; the learner's is consistent here.
                var actorStates = new ActorState[actors.Length];
                for (var k = 0; k < actors.Length; k++)
                {
                    var envs = actorEnvs[k];
                    var random = actorRandoms[k];
                    actorStates[k] = actors[k].ReadBetweenSteps(
                        () => new ActorState(random.GetState(), RunCheckpoint.ObservationNormalizers(envs), RunCheckpoint.RewardNormalizers(envs)),
                        stop.Token);
                }

                var globalStep = stepOffset + (schedule?.GlobalStep ?? 0);
                var finishedEpisodes = (resumed?.Episodes ?? 0) + monitor.Episodes;
                checkpointWriter.Write(
                    checkpointPath,
                    CheckpointImage.Capture(
                        learner.Checkpoint(config, globalStep, finishedEpisodes, resumes, actorStates),
                        learner.Learner.Model.NamedParameters,
                        learner.Learner.Optimizer.State));
            });

            var remaining = ppo.TotalTimesteps - stepOffset;
            if (remaining > 0)
            {
                schedule = new AsynchronousSchedule<TObservation, TAction>(
                    actors,
                    learner.Learner,
                    new AsynchronousScheduleOptions
                    {
                        TotalSteps = remaining,
                        StepsPerSegment = ppo.NumSteps,
                        QueueCapacity = settings.QueueCapacity,
                        MaxPolicyLag = settings.MaxPolicyLag,

                        // A live world does not wait: its actors never block and come first. A simulator can wait,
                        // so its actors do when the learner is behind, and nothing they collect is thrown away.
                        WhenFull = liveEnvs.Count > 0 ? QueueFullMode.DropOldest : QueueFullMode.Wait,
                        PrioritizeActors = liveEnvs.Count > 0,
                    },
                    new CompositeTrainingCallbacks(monitor, checkpointer));
                schedule.Run(stop.Token);
                monitor.Flush();
            }

            checkpointer.SaveNow();
            checkpointWriter.Flush();
            return new TrainOutcome(stepOffset + (schedule?.GlobalStep ?? 0), monitor.WallTimeSeconds, monitor.Episodes, monitor.ReturnMean, monitor.SolvedAt);
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    private static string ActorStreamName(int actor) => $"actor-{actor}";

    private static TrainingReport AddRunCounters(TrainingReport report, AsynchronousScheduleStatistics statistics, IReadOnlyList<ILiveEnv> liveEnvs)
    {
        report = report with
        {
            SegmentsDroppedQueueFull = statistics.Channel.DroppedFull,
            SegmentsDroppedStale = statistics.Lag.DroppedStale,
        };
        return ActionGapReport.With(report, liveEnvs);
    }

    private static AsyncLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(TrainSettings settings, IActorCritic<TObservation, TAction> model)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var ppo = settings.Ppo;
        switch (settings.Algo)
        {
            case TrainAlgorithm.Appo:
                var random = new RandomSource(RandomSource.DeriveSeed(settings.Seed, 2));
                var appo = new AppoLearner<TObservation, TAction>(
                    model,
                    new AppoOptions
                    {
                        TotalTimesteps = ppo.TotalTimesteps,
                        LearningRate = ppo.LearningRate,
                        NumEnvs = ppo.NumEnvs * settings.NumActors,
                        NumSteps = ppo.NumSteps,
                        AnnealLr = ppo.AnnealLr,
                        Gamma = ppo.Gamma,
                        RhoBar = settings.RhoBar,
                        CBar = settings.RhoBar,
                        NumMinibatches = Math.Min(ppo.NumMinibatches, ppo.NumEnvs),
                        UpdateEpochs = ppo.UpdateEpochs,
                        NormAdv = ppo.NormAdv,
                        ClipCoef = ppo.ClipCoef,
                        EntCoef = ppo.EntCoef,
                        VfCoef = ppo.VfCoef,
                        MaxGradNorm = ppo.MaxGradNorm,
                        AdamEps = ppo.AdamEps,
                        HiddenSizes = ppo.HiddenSizes,
                    },
                    random);
                return new AsyncLearner<TObservation, TAction>(appo, random);
            case TrainAlgorithm.Impala:
                var impala = new ImpalaLearner<TObservation, TAction>(
                    model,
                    new ImpalaOptions
                    {
                        TotalTimesteps = ppo.TotalTimesteps,
                        LearningRate = ppo.LearningRate,
                        NumEnvs = ppo.NumEnvs * settings.NumActors,
                        NumSteps = ppo.NumSteps,
                        AnnealLr = ppo.AnnealLr,
                        Gamma = ppo.Gamma,
                        RhoBar = settings.RhoBar,
                        CBar = settings.RhoBar,
                        EntCoef = ppo.EntCoef,
                        BaselineCoef = ppo.VfCoef,
                        MaxGradNorm = ppo.MaxGradNorm,
                        AdamEps = ppo.AdamEps,
                        HiddenSizes = ppo.HiddenSizes,
                    });
                return new AsyncLearner<TObservation, TAction>(impala, Random: null);
            default:
                throw new ArgumentException($"The async schedule trains APPO or IMPALA; got {settings.Algo}.");
        }
    }

    /// <summary>What a checkpoint takes from one actor: its sampling stream and its envs' normalizers, read together at a step boundary.</summary>
    private sealed record ActorState(RandomSourceState Random, NormalizerSnapshot[] ObservationNormalizers, RewardNormalizerSnapshot[] RewardNormalizers);

    /// <summary>An APPO or IMPALA learner and the random stream a checkpoint saves with it.</summary>
    /// <param name="Learner">The learner the schedule drives.</param>
    /// <param name="Random">Its random stream (APPO's trajectory shuffles); null when it has none (IMPALA).</param>
    private sealed record AsyncLearner<TObservation, TAction>(ICheckpointableLearner<TObservation, TAction> Learner, RandomSource? Random)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        private const string LearnerStream = "learner";

        /// <summary>Restores counters, policy version and random stream from <paramref name="checkpoint"/> (weights and optimizer state are loaded separately).</summary>
        public void Restore(TrainingCheckpoint checkpoint)
        {
            Learner.RestoreProgress(new LearnerProgress(checkpoint.Updates, checkpoint.TrainedSteps));
            Learner.Model.SetVersion(new PolicyVersion(checkpoint.PolicyVersion));
            Random?.SetState(RunCheckpoint.RequireRandomState(checkpoint, LearnerStream));
        }

        /// <summary>The checkpoint metadata of the learner now, with the run's counters and the actors' states.</summary>
        public TrainingCheckpoint Checkpoint(string config, long globalStep, long episodes, int resumes, IReadOnlyList<ActorState> actors)
        {
            var (updates, trainedSteps) = Learner.Progress;
            var randomStates = new Dictionary<string, RandomSourceState>();
            if (Random is not null)
            {
                randomStates[LearnerStream] = Random.GetState();
            }

            for (var k = 0; k < actors.Count; k++)
            {
                randomStates[ActorStreamName(k)] = actors[k].Random;
            }

            return new TrainingCheckpoint
            {
                Config = config,
                GlobalStep = globalStep,
                Updates = updates,
                TrainedSteps = trainedSteps,
                PolicyVersion = Learner.Version.Value,
                Episodes = episodes,
                Resumes = resumes,
                RandomStates = randomStates,
                ObservationNormalizers = [.. actors.SelectMany(a => a.ObservationNormalizers)],
                RewardNormalizers = [.. actors.SelectMany(a => a.RewardNormalizers)],
            };
        }
    }

    private sealed class Training(
        TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, string? resumeFrom, CancellationToken cancellationToken)
        : IPpoRecipeVisitor<TrainOutcome>
    {
        public TrainOutcome Visit<TObservation, TAction>(PpoRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged =>
            Run(settings, recipe, progress, announce, time, resumeFrom, cancellationToken);
    }
}

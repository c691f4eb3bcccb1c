using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Training;

namespace Tempo.Cli.Training;

/// <summary>Composes a PPO run (env stack, model, learner, actor, schedule, metrics) and runs it.</summary>
internal static class PpoRun
{
    /// <summary>Runs training as <paramref name="settings"/> say and returns what happened.</summary>
    /// <param name="registry">Where envs come from.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="progress">The console progress sink.</param>
    /// <param name="announce">Prints a line for people.</param>
    /// <param name="time">The clock.</param>
    /// <param name="resumeFrom">A checkpoint to continue from, or null for a fresh run.</param>
    /// <param name="cancellationToken">Stops the run between iterations.</param>
    public static TrainOutcome Run(
        EnvRegistry registry, TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, string? resumeFrom, CancellationToken cancellationToken)
    {
        if (settings.Algo != TrainAlgorithm.Ppo)
        {
            throw new ArgumentException($"{settings.Algo} learns off-policy from actors that never wait; run it with --schedule async.");
        }

        settings.Ppo.Validate();
        if (resumeFrom is not null)
        {
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
        var options = settings.Ppo;
        var config = RunFolder.Prepare(settings);
        var checkpointPath = RunFolder.CheckpointPath(settings.RunDir);

        var envs = new IEnv<TObservation, TAction>[options.NumEnvs];
        for (var i = 0; i < envs.Length; i++)
        {
            envs[i] = recipe.MakeEnv();
        }

        using var vector = new SyncVectorEnv<TObservation, TAction>(envs);
        var liveEnvs = envs.Select(e => e.TryFind<ILiveEnv>(out var live) ? live : null).OfType<ILiveEnv>().ToArray();
        var policyRandom = new RandomSource(RandomSource.DeriveSeed(settings.Seed, 1));
        var learnerRandom = new RandomSource(RandomSource.DeriveSeed(settings.Seed, 2));

        // One set of kernel threads for both models: the synchronous schedule never acts and learns at the same time.
        // A live world that keeps running during updates keeps a core for its own clock thread.
        var kernelThreads = Math.Min(recipe.KernelThreads, Environment.ProcessorCount);
        if (liveEnvs.Length > 0 && !settings.Pause)
        {
            kernelThreads = 1;
        }

        using var parallelism = kernelThreads > 1 ? new KernelParallelism(kernelThreads) : null;
        var model = recipe.MakeModel(envs[0], new RandomSource(settings.Seed), parallelism);
        var actingModel = recipe.MakeModel(envs[0], policyRandom, parallelism);
        var learner = new PpoLearner<TObservation, TAction>(model, options, learnerRandom);

        // A resumed run restores everything learned and continues the counters; its envs start fresh episodes.
        TrainingCheckpoint? resumed = null;
        if (resumeFrom is not null)
        {
            resumed = LearnerCheckpoint.Load(resumeFrom, learner);
            policyRandom.SetState(RunCheckpoint.RequireRandomState(resumed, "policy"));
            RunCheckpoint.RestoreNormalizers(envs, resumed);
        }

        var stepOffset = resumed?.GlobalStep ?? 0;
        var resumes = resumed is null ? 0 : resumed.Resumes + 1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sinks = RunFolder.OpenMetrics(settings.RunDir, resumed is not null, time, progress);
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
            Enrich = report => ActionGapReport.With(report, liveEnvs),
        };

        var actor = new Actor<TObservation, TAction>(new ActorId(0), vector, actingModel, monitor);
        using var checkpointWriter = new BackgroundCheckpointWriter();
        var checkpointer = new PeriodicCheckpointer(settings.CheckpointEvery, () => checkpointWriter.Write(checkpointPath, LearnerCheckpoint.Capture(
            learner,
            new TrainingCheckpoint
            {
                Config = config,
                GlobalStep = stepOffset + actor.Steps,
                Updates = learner.Progress.Updates,
                TrainedSteps = learner.Progress.TrainedSteps,
                PolicyVersion = learner.Version.Value,
                Episodes = (resumed?.Episodes ?? 0) + monitor.Episodes,
                Resumes = resumes,
                RandomStates = new Dictionary<string, RandomSourceState> { ["policy"] = policyRandom.GetState() },
                ObservationNormalizers = RunCheckpoint.ObservationNormalizers(envs),
                RewardNormalizers = RunCheckpoint.RewardNormalizers(envs),
            })));

        actor.Start(resumes == 0 ? settings.Seed : (int)RandomSource.DeriveSeed(settings.Seed, 100 + resumes));
        var schedule = new SynchronousSchedule<TObservation, TAction>(
            [actor],
            learner,
            new SynchronousScheduleOptions
            {
                Iterations = Math.Max(0, options.NumIterations - learner.Progress.Updates),
                StepsPerRollout = options.NumSteps,
                PauseDuringUpdates = settings.Pause,
            },
            new CompositeTrainingCallbacks(monitor, checkpointer));
        schedule.Run(stop.Token);
        checkpointer.SaveNow();
        checkpointWriter.Flush();
        return new TrainOutcome(stepOffset + schedule.GlobalStep, monitor.WallTimeSeconds, monitor.Episodes, monitor.ReturnMean, monitor.SolvedAt);
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

using Tempo.Algorithms.Learners;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Seeding;
using Tempo.Nn.Serialization;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Runs.Checkpointing;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Training;

namespace Tempo.Runtime.Runs;

/// <summary>What both schedules' runs do alike: make envs, check the network against a resumed checkpoint, restore, prepare the folder, monitor, checkpoint, finish.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
internal abstract class RunComposition<TObservation, TAction>(RunContext context, ActorCriticRecipe<TObservation, TAction> recipe)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>The run's context.</summary>
    protected RunContext Context { get; } = context;

    /// <summary>The run's settings.</summary>
    protected RunSettings Settings => Context.Settings;

    /// <summary>The recipe: env stack and architecture.</summary>
    protected ActorCriticRecipe<TObservation, TAction> Recipe { get; } = recipe;

    /// <summary>Env steps taken before this process started (a resumed run).</summary>
    protected long StepOffset => Context.Resumed?.GlobalStep ?? 0;

    /// <summary>Runs training and returns the outcome.</summary>
    public abstract RunOutcome Run();

    /// <summary>Makes <paramref name="count"/> envs with the recipe's wrappers; disposes those made so far if one fails.</summary>
    protected IEnv<TObservation, TAction>[] MakeEnvs(int count)
    {
        var envs = new List<IEnv<TObservation, TAction>>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                envs.Add(Recipe.MakeEnv());
            }
        }
        catch
        {
            envs.ForEach(e => e.Dispose());
            throw;
        }

        return [.. envs];
    }

    /// <summary>The network for <paramref name="env"/>'s spaces; a resumed run's must be the checkpoint's.</summary>
    /// <exception cref="ArgumentException">The env's spaces do not fit the architecture, or the network differs from the checkpoint's.</exception>
    protected ModelSpec ModelSpecFor(IEnv<TObservation, TAction> env)
    {
        var spec = ModelSpec.For(Recipe.Model, env.ObservationSpace, env.ActionSpace, Settings.Model.HiddenSizes);
        if (Context.Resumed?.Model is { } saved && saved.Differences(spec) is { Count: > 0 } differences)
        {
            throw new ArgumentException(
                $"Cannot resume from {Settings.ResumeFrom}: its network is {saved}, but {Settings.Env} now needs {spec} (checkpoint vs now: {string.Join("; ", differences)}).");
        }

        return spec;
    }

    /// <summary>Loads the resumed checkpoint into <paramref name="learner"/> (everything it learned, its optimizers, counters and streams) and lets every part of the run restore its own state.</summary>
    protected void Restore(ICheckpointableLearner<TObservation, TAction> learner, IEnumerable<ICheckpointPart> parts)
    {
        if (Context.Resumed is null)
        {
            return;
        }

        var checkpoint = LearnerCheckpoint.Load(Settings.ResumeFrom!, learner);
        foreach (var part in parts)
        {
            part.Restore(checkpoint);
        }

        if (learner is IReplayLearner { CheckpointsReplay: true } replay)
        {
            var path = RunFolder.ReplayPath(Settings.ResumeFrom!);
            if (!File.Exists(path))
            {
                throw new ArgumentException($"checkpoint-replay is on, but {Settings.ResumeFrom} has no replay buffer beside it ({path}); resume with --checkpoint-replay false to start from an empty buffer.");
            }

            using var stream = File.OpenRead(path);
            try
            {
                replay.LoadReplay(stream);
            }
            catch (InvalidDataException error)
            {
                throw new InvalidDataException($"Cannot resume the replay buffer from {path}: {error.Message}", error);
            }
        }
    }

    /// <summary>Writes <c>config.json</c>: called once everything that can refuse the run has passed, so a refused run leaves its folder as it was.</summary>
    protected void PrepareFolder()
    {
        RunFolder.Prepare(Settings, RunConfig.Serialize(Settings), resumed: Context.Resumed is not null);
        if (Context.IsDefaultFolder)
        {
            RunFolder.PointLatest(Context.RunDirectory);
        }
    }

    /// <summary>The monitor: episode windows, reports to the sinks, and the stop once the target return is reached.</summary>
    protected TrainingMonitor CreateMonitor(IMetricsSink sinks, CancellationTokenSource stop, IEnv[] liveEnvs, Action<TrainingReport>? enrich, TimeSpan reportInterval) =>
        new(
            sinks,
            Context.Hooks.Time,
            Settings.TargetReturn,
            line =>
            {
                Context.Hooks.Announce?.Invoke(line);
                stop.Cancel();
            },
            StepOffset,
            Context.Resumed?.Episodes ?? 0,
            Context.Resumed?.WallTimeSeconds ?? 0)
        {
            Enrich = report =>
            {
                enrich?.Invoke(report);
                LiveEnvReport.Fill(report, liveEnvs);
            },
            ReportInterval = reportInterval,
        };

    /// <summary>A checkpointer that captures the learner's state and every part's on the learner's thread, and writes them in the background.</summary>
    protected PeriodicCheckpointer CreateCheckpointer(
        BackgroundCheckpointWriter writer, ICheckpointableLearner<TObservation, TAction> learner, ModelSpec model, IReadOnlyList<ICheckpointPart> parts, TrainingMonitor monitor, Func<long> globalStep)
    {
        var config = RunConfig.Serialize(Settings);
        var path = RunFolder.CheckpointPath(Context.RunDirectory);
        CheckpointImage Capture()
        {
            // The replay buffer is written here, on the learner's thread, at the moment the rest is captured: a copy for
            // the background writer would double a buffer that may be most of the process's memory.
            if (learner is IReplayLearner { CheckpointsReplay: true } replay)
            {
                AtomicFile.Write(RunFolder.ReplayPath(path), replay.SaveReplay);
            }

            var draft = new CheckpointDraft();
            foreach (var part in parts)
            {
                part.Capture(draft);
            }

            var progress = learner.Progress;
            return LearnerCheckpoint.Capture(learner, new TrainingCheckpoint
            {
                Config = config,
                Env = Settings.Env,
                Model = model,
                WallTimeSeconds = monitor.WallTimeSeconds,
                GlobalStep = StepOffset + globalStep(),
                Updates = progress.Updates,
                TrainedSteps = progress.TrainedSteps,
                PolicyVersion = learner.Version.Value,
                Episodes = monitor.Episodes,
                Resumes = Context.Resumes,
                RandomStates = draft.RandomStates,
                ObservationNormalizers = draft.ObservationNormalizers,
                RewardNormalizers = draft.RewardNormalizers,
            });
        }

        // Compile the whole checkpoint path now, at normal priority, before any actor steps (see WarmUp).
        BackgroundCheckpointWriter.WarmUp(Capture());
        return new PeriodicCheckpointer(Settings.CheckpointEvery, () => writer.Write(path, Capture()));
    }

    /// <summary>Collects the garbage of setting a live run up (models, buffers, compiled code's data, the checkpoint warm-up) before actors start stepping; a simulator, which waits for the run, does not need it.</summary>
    /// <remarks>
    /// Steady-state training allocates nothing, so a collection during a run can only come from what setting it up left
    /// behind. A collection suspends every thread, actors and the world's clock included, and waits for each to reach a
    /// safe point: on a busy machine a low-priority learner or checkpoint writer may wait a long time for a core, and
    /// live runs beside two CPU hogs showed ~100 ms stalls of the whole process. One collection now, while nothing acts,
    /// leaves the young generation empty for the run.
    /// </remarks>
    protected static void CollectSetupGarbage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>The run's callbacks: the monitor, the checkpointer, then the caller's own.</summary>
    protected ITrainingCallbacks Callbacks(TrainingMonitor monitor, PeriodicCheckpointer checkpointer) =>
        Context.Hooks.Callbacks is { } own ? new CompositeTrainingCallbacks(monitor, checkpointer, own) : new CompositeTrainingCallbacks(monitor, checkpointer);

    /// <summary>The outcome once training stopped and the last checkpoint is on disk.</summary>
    protected RunOutcome Outcome(TrainingMonitor monitor, long globalStep) => new(
        Path.GetFullPath(Context.RunDirectory),
        StepOffset + globalStep,
        monitor.WallTimeSeconds,
        monitor.Episodes,
        monitor.ReturnMean,
        monitor.SolvedAt,
        Cancelled: Context.CancellationToken.IsCancellationRequested && !monitor.IsSolved)
    {
        TargetReturn = Settings.TargetReturn,
        SolvedReturnMean = monitor.SolvedReturnMean,
    };

    /// <summary>The envs among <paramref name="envs"/> that run on a clock or record action gaps, whose timing the reports carry.</summary>
    protected static IEnv[] LiveEnvs(IEnumerable<IEnv<TObservation, TAction>> envs) =>
        [.. envs.Where(e => e.TryFind<ILiveEnv>(out _) || e.TryFind<IActionGapSource>(out _))];

    /// <summary>A random stream derived from the run's seed and <paramref name="stream"/>, so every stream is reproducible and independent.</summary>
    protected RandomSource Stream(long stream) => new(RandomSource.DeriveSeed(Settings.Seed, stream));
}

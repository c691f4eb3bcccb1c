using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Training;

namespace Tempo.Cli.Training;

/// <summary>Composes an asynchronous run: K actor threads (each with its own envs and policy copy), one learner (APPO or IMPALA), and metrics.</summary>
internal static class AsyncRun
{
    /// <summary>Runs asynchronous training as <paramref name="settings"/> say and returns what happened.</summary>
    public static TrainOutcome Run(EnvRegistry registry, TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, CancellationToken cancellationToken)
    {
        if (settings.Algo == TrainAlgorithm.Ppo)
        {
            throw new ArgumentException("PPO is on-policy and runs on the sync schedule; for the async schedule use --algo appo (PPO with V-trace correction) or --algo impala.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.NumActors);
        settings.Ppo.Validate();
        return PpoRecipes.Dispatch(registry, settings, new Training(settings, progress, announce, time, cancellationToken));
    }

    private static TrainOutcome Run<TObservation, TAction>(
        TrainSettings settings, PpoRecipe<TObservation, TAction> recipe, IMetricsSink progress, Action<string> announce, TimeProvider time, CancellationToken cancellationToken)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var ppo = settings.Ppo;
        Directory.CreateDirectory(settings.RunDir);
        File.WriteAllText(Path.Combine(settings.RunDir, "config.json"), TrainConfigFile.Serialize(settings));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sinks = new CompositeMetricsSink(
            CsvMetricsSink.Open(Path.Combine(settings.RunDir, "metrics.csv"), FileMode.Create),
            TensorBoardMetricsSink.Create(settings.RunDir, time),
            progress);

        var vectors = new List<SyncVectorEnv<TObservation, TAction>>();
        var firstEnvs = new List<IEnv<TObservation, TAction>>();
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

                firstEnvs.Add(envs[0]);
                vectors.Add(new SyncVectorEnv<TObservation, TAction>(envs));
            }

            var learner = CreateLearner(settings, recipe.MakeModel(firstEnvs[0], new RandomSource(settings.Seed)));
            var episodes = new EpisodeMailbox();
            var actors = new List<Actor<TObservation, TAction>>();
            for (var k = 0; k < settings.NumActors; k++)
            {
                // Each actor has its own policy copy (snapshots are loaded into it) and its own sampling stream.
                var policy = recipe.MakeModel(firstEnvs[k], new RandomSource(RandomSource.DeriveSeed(settings.Seed, 10 + k)));
                var actor = new Actor<TObservation, TAction>(new ActorId(k), vectors[k], policy, episodes);
                actor.Start(settings.Seed + (k * ppo.NumEnvs));
                actors.Add(actor);
            }

            AsynchronousSchedule<TObservation, TAction>? schedule = null;
            var monitor = new TrainingMonitor(sinks, time, settings.TargetReturn, line =>
            {
                announce(line);
                stop.Cancel();
            })
            {
                Enrich = report => AddRunCounters(report, schedule!.Statistics, liveEnvs),
            };
            schedule = new AsynchronousSchedule<TObservation, TAction>(
                actors,
                learner,
                new AsynchronousScheduleOptions
                {
                    TotalSteps = ppo.TotalTimesteps,
                    StepsPerSegment = ppo.NumSteps,
                    QueueCapacity = settings.QueueCapacity,
                    MaxPolicyLag = settings.MaxPolicyLag,
                },
                monitor,
                episodes);
            schedule.Run(stop.Token);
            return new TrainOutcome(schedule.GlobalStep, monitor.WallTimeSeconds, monitor.Episodes, monitor.ReturnMean, monitor.SolvedAt);
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    private static TrainingReport AddRunCounters(TrainingReport report, AsynchronousScheduleStatistics statistics, IReadOnlyList<ILiveEnv> liveEnvs)
    {
        report = report with
        {
            SegmentsDroppedQueueFull = statistics.Channel.DroppedFull,
            SegmentsDroppedStale = statistics.Lag.DroppedStale,
        };
        return ActionGapReport.With(report, liveEnvs);
    }

    private static ILearner<TObservation, TAction> CreateLearner<TObservation, TAction>(TrainSettings settings, IActorCritic<TObservation, TAction> model)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var ppo = settings.Ppo;
        return settings.Algo switch
        {
            TrainAlgorithm.Appo => new AppoLearner<TObservation, TAction>(
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
                new RandomSource(RandomSource.DeriveSeed(settings.Seed, 2))),
            TrainAlgorithm.Impala => new ImpalaLearner<TObservation, TAction>(
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
                }),
            _ => throw new ArgumentException($"The async schedule trains APPO or IMPALA; got {settings.Algo}."),
        };
    }

    private sealed class Training(TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, CancellationToken cancellationToken)
        : IPpoRecipeVisitor<TrainOutcome>
    {
        public TrainOutcome Visit<TObservation, TAction>(PpoRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged =>
            Run(settings, recipe, progress, announce, time, cancellationToken);
    }
}

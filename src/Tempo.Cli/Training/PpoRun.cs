using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Metrics.TensorBoard;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Training;

namespace Tempo.Cli.Training;

/// <summary>Composes a PPO run (env stack, model, learner, actor, schedule, metrics) and runs it.</summary>
internal static class PpoRun
{
    /// <summary>Runs training as <paramref name="settings"/> say and returns what happened.</summary>
    public static TrainOutcome Run(EnvRegistry registry, TrainSettings settings, IMetricsSink progress, Action<string> announce, TimeProvider time, CancellationToken cancellationToken)
    {
        var spec = registry.GetSpec(settings.Env);
        settings.Ppo.Validate();
        var gamma = settings.Ppo.Gamma;
        if (spec.ObservationElementType == typeof(float) && spec.ActionElementType == typeof(int))
        {
            return Run(
                settings,
                () => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>(settings.Env)),
                (env, random) => new CategoricalMlpActorCritic(env.ObservationSpace.FlatSize, DiscreteCount(env), settings.Ppo.HiddenSizes, random),
                progress, announce, time, cancellationToken);
        }

        if (spec.ObservationElementType == typeof(float) && spec.ActionElementType == typeof(float))
        {
            // CleanRL's ppo_continuous_action.py env stack: statistics on raw rewards, then clip actions,
            // normalize observations and rewards, and clip both to ±10.
            return Run(
                settings,
                () => (IEnv<float, float>)new ClipReward<float, float>(
                    new NormalizeReward<float, float>(
                        new NormalizeObservation<float>(
                            new ClipAction<float>(new RecordEpisodeStatistics<float, float>(registry.Make<float, float>(settings.Env)))),
                        gamma),
                    -10f,
                    10f),
                (env, random) => new GaussianMlpActorCritic(env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize, settings.Ppo.HiddenSizes, random),
                progress, announce, time, cancellationToken);
        }

        throw new ArgumentException(
            $"PPO here trains envs with float observations and discrete or continuous actions; {settings.Env} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}.");
    }

    private static TrainOutcome Run<TObservation, TAction>(
        TrainSettings settings,
        Func<IEnv<TObservation, TAction>> makeEnv,
        Func<IEnv<TObservation, TAction>, Random, IActorCritic<TObservation, TAction>> makeModel,
        IMetricsSink progress,
        Action<string> announce,
        TimeProvider time,
        CancellationToken cancellationToken)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var options = settings.Ppo;
        Directory.CreateDirectory(settings.RunDir);
        File.WriteAllText(Path.Combine(settings.RunDir, "config.json"), TrainConfigFile.Serialize(settings));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sinks = new CompositeMetricsSink(
            CsvMetricsSink.Open(Path.Combine(settings.RunDir, "metrics.csv"), FileMode.Create),
            TensorBoardMetricsSink.Create(settings.RunDir, time),
            progress);
        var monitor = new TrainingMonitor(sinks, time, settings.TargetReturn, line =>
        {
            announce(line);
            stop.Cancel();
        });

        var envs = new IEnv<TObservation, TAction>[options.NumEnvs];
        for (var i = 0; i < envs.Length; i++)
        {
            envs[i] = makeEnv();
        }

        using var vector = new SyncVectorEnv<TObservation, TAction>(envs);
        var model = makeModel(envs[0], new RandomSource(settings.Seed));
        var actingModel = makeModel(envs[0], new RandomSource(RandomSource.DeriveSeed(settings.Seed, 1)));
        var learner = new PpoLearner<TObservation, TAction>(model, options, new RandomSource(RandomSource.DeriveSeed(settings.Seed, 2)));
        var actor = new Actor<TObservation, TAction>(new ActorId(0), vector, actingModel, monitor);
        actor.Start(settings.Seed);
        var schedule = new SynchronousSchedule<TObservation, TAction>(
            [actor],
            learner,
            new SynchronousScheduleOptions { Iterations = options.NumIterations, StepsPerRollout = options.NumSteps, PauseDuringUpdates = settings.Pause },
            monitor);
        schedule.Run(stop.Token);
        return new TrainOutcome(schedule.GlobalStep, monitor.WallTimeSeconds, monitor.Episodes, monitor.ReturnMean, monitor.SolvedAt);
    }

    private static int DiscreteCount(IEnv<float, int> env) =>
        env.ActionSpace is Core.Spaces.DiscreteSpace { Start: 0 } discrete
            ? discrete.N
            : throw new ArgumentException($"PPO's categorical policy needs a Discrete(n) action space starting at 0; got {env.ActionSpace}.");
}

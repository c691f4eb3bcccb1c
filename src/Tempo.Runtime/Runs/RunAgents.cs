using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Learners.DataParallel;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Algorithms.Sac;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>Builds what a run trains and what its actors act with, for every kind of algorithm: an actor-critic learner over the recipe's model and a copy of that model, DQN's learner over a Q-network and an ε-greedy copy of it, or SAC's learner over an actor and twin critics and a copy of the actor.</summary>
/// <remarks>Both schedules, evaluation and resuming build through here, so the learner's checkpoint names and the policy's snapshot layout agree wherever they meet.</remarks>
internal static class RunAgents
{
    /// <summary>The learner for <paramref name="settings"/>' algorithm over a network of <paramref name="model"/> (its weights drawn from the run's seed).</summary>
    /// <exception cref="ArgumentException">The algorithm does not train this architecture or these element types.</exception>
    public static ICheckpointableLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(RunSettings settings, ModelSpec model, ISpace observationSpace, ISpace actionSpace, RandomSource random, KernelParallelism? parallelism)
        where TObservation : unmanaged
        where TAction : unmanaged => settings.Algorithm switch
        {
            IActorCriticAlgorithm actorCritic => actorCritic.CreateLearner(model.Create<TObservation, TAction>(observationSpace, new RandomSource(settings.Seed), parallelism), settings.LearnerShape, random),
            DqnOptions dqn when model.Kind == ModelKind.QCnn => ForFrameTypes<ICheckpointableLearner<TObservation, TAction>>(
                new DqnLearner<byte, NatureQNetwork>(NatureQNetworkFor(model, dqn, new RandomSource(settings.Seed), parallelism), dqn, settings.Collection.TotalTimesteps, random), dqn, model),
            DqnOptions dqn when model.Kind == ModelKind.QMultiInput => ForFrameTypes<ICheckpointableLearner<TObservation, TAction>>(
                new DqnLearner<byte, MultiInputQNetwork>(MultiInputQNetworkFor(model, dqn, observationSpace, new RandomSource(settings.Seed), parallelism), dqn, settings.Collection.TotalTimesteps, random), dqn, model),
            DqnOptions dqn => ForElementTypes<ICheckpointableLearner<TObservation, TAction>>(
                new DqnLearner(QNetworkFor(model, dqn, new RandomSource(settings.Seed), parallelism), dqn, settings.Collection.TotalTimesteps, random), dqn, model),
            SacOptions sac => ForSacElementTypes<ICheckpointableLearner<TObservation, TAction>>(SacLearnerFor(model, sac, actionSpace, new RandomSource(settings.Seed), random, parallelism), sac, model),
            DiscreteSacOptions discreteSac => ForElementTypes<ICheckpointableLearner<TObservation, TAction>>(
                new DiscreteSacLearner(DiscreteSacNetworks.Mlp(DiscreteSacInputs(model, discreteSac), model.Actions, model.HiddenSizes, new RandomSource(settings.Seed), parallelism), discreteSac, random), discreteSac, model),
            _ => throw new ArgumentException($"No run can train {settings.Algorithm.Name} yet."),
        };

    /// <summary>
    /// A data-parallel learner over <paramref name="randoms"/>.Count ranks (<see cref="RunSettings.NumLearners"/>): one replica of
    /// the network per rank, every one drawn from the run's seed, rank r's kernels on <paramref name="parallelisms"/>[r].
    /// </summary>
    /// <exception cref="ArgumentException">The algorithm is not PPO, which is the one that learns data-parallel.</exception>
    public static ICheckpointableLearner<TObservation, TAction> CreateDataParallelLearner<TObservation, TAction>(
        RunSettings settings, ModelSpec model, ISpace observationSpace, IReadOnlyList<RandomSource> randoms, IReadOnlyList<KernelParallelism?> parallelisms, LearnerRanks ranks)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var ppo = settings.Algorithm as PpoOptions
            ?? throw new ArgumentException($"num-learners {randoms.Count}: data-parallel learning supports ppo on the sync schedule only; {settings.Algorithm.Name} trains with one learner (num-learners 1).");
        var replicas = parallelisms.Select(p => model.Create<TObservation, TAction>(observationSpace, new RandomSource(settings.Seed), p)).ToArray();
        return new PpoLearner<TObservation, TAction>(replicas, ppo, settings.LearnerShape, randoms, ranks);
    }

    /// <summary>An acting copy of the policy, loaded from the learner's snapshots, for one of <paramref name="actors"/> actors sharing the run's steps; <paramref name="stepsTaken"/> is how many env steps the run took before (a resumed run's ε continues from there).</summary>
    /// <exception cref="ArgumentException">The algorithm does not act with this architecture or these element types.</exception>
    public static IPolicy<TObservation, TAction> CreatePolicy<TObservation, TAction>(RunSettings settings, ModelSpec model, ISpace observationSpace, ISpace actionSpace, RandomSource random, KernelParallelism? parallelism, long stepsTaken, int actors = 1)
        where TObservation : unmanaged
        where TAction : unmanaged => settings.Algorithm switch
        {
            IActorCriticAlgorithm => model.Create<TObservation, TAction>(observationSpace, random, parallelism),
            DqnOptions dqn when model.Kind == ModelKind.QCnn => ForFrameTypes<IPolicy<TObservation, TAction>>(
                new EpsilonGreedyPolicy<byte>(NatureQNetworkFor(model, dqn, random, parallelism), dqn, Math.Max(1, settings.Collection.TotalTimesteps / actors), random) { Steps = stepsTaken / actors }, dqn, model),
            DqnOptions dqn when model.Kind == ModelKind.QMultiInput => ForFrameTypes<IPolicy<TObservation, TAction>>(
                new EpsilonGreedyPolicy<byte>(MultiInputQNetworkFor(model, dqn, observationSpace, random, parallelism), dqn, Math.Max(1, settings.Collection.TotalTimesteps / actors), random) { Steps = stepsTaken / actors }, dqn, model),
            DqnOptions dqn => ForElementTypes<IPolicy<TObservation, TAction>>(
                new EpsilonGreedyPolicy(QNetworkFor(model, dqn, random, parallelism), dqn, Math.Max(1, settings.Collection.TotalTimesteps / actors), random) { Steps = stepsTaken / actors }, dqn, model),
            SacOptions sac => ForSacElementTypes<IPolicy<TObservation, TAction>>(SacPolicyFor(model, sac, actionSpace, random, parallelism, stepsTaken / actors), sac, model),
            DiscreteSacOptions discreteSac => ForElementTypes<IPolicy<TObservation, TAction>>(DiscreteSacPolicyFor(model, discreteSac, random, parallelism, stepsTaken / actors), discreteSac, model),
            _ => throw new ArgumentException($"No run can act with {settings.Algorithm.Name} yet."),
        };

    private static QNetwork QNetworkFor(ModelSpec model, DqnOptions options, Random random, KernelParallelism? parallelism)
    {
        if (model.Kind != ModelKind.QMlp)
        {
            throw new ArgumentException($"{options.Name} trains a {ModelKind.QMlp} Q-network; this run's model is a {model.Kind}.");
        }

        var inputs = model.ObservationShape.Aggregate(1, (size, dimension) => checked(size * dimension));
        return new QNetwork(inputs, model.Actions, model.HiddenSizes, options.Dueling, random) { Parallelism = parallelism };
    }

    private static NatureQNetwork NatureQNetworkFor(ModelSpec model, DqnOptions options, Random random, KernelParallelism? parallelism)
    {
        RequireLinearHead(model, options);
        return model.ObservationShape is [var channels, var height, var width]
            ? new NatureQNetwork(channels, height, width, model.Actions, random, model.HiddenSizes[0]) { Parallelism = parallelism }
            : throw new ArgumentException($"dqn_atari.py's network reads frames [C, H, W]; this env observes [{string.Join(", ", model.ObservationShape)}].");
    }

    private static MultiInputQNetwork MultiInputQNetworkFor(ModelSpec model, DqnOptions options, ISpace observationSpace, Random random, KernelParallelism? parallelism)
    {
        RequireLinearHead(model, options);
        return observationSpace is DictSpace space && string.Equals(space.ToString(), model.Observation, StringComparison.Ordinal)
            ? new MultiInputQNetwork(space, model.Actions, random, model.HiddenSizes[0]) { Parallelism = parallelism }
            : throw new ArgumentException($"This {model.Kind} model reads {model.Observation}; got {observationSpace}.");
    }

    // Dueling heads are built on the MLP only; a frame or dict network would otherwise train a plain head while the run says dueling.
    private static void RequireLinearHead(ModelSpec model, DqnOptions options)
    {
        if (options.Dueling)
        {
            throw new ArgumentException($"dueling: dueling heads are built for the {ModelKind.QMlp} Q-network only; this run's model is a {model.Kind}. Leave dueling off.");
        }
    }

    private static DiscreteSacPolicy DiscreteSacPolicyFor(ModelSpec model, DiscreteSacOptions options, Random random, KernelParallelism? parallelism, long steps)
    {
        var inputs = DiscreteSacInputs(model, options);
        return new DiscreteSacPolicy(DiscreteSacNetworks.MlpActor(inputs, model.Actions, model.HiddenSizes, random, parallelism), inputs, model.Actions, options, random) { Steps = steps };
    }

    private static int DiscreteSacInputs(ModelSpec model, DiscreteSacOptions options) =>
        model.Kind == ModelKind.DiscreteSacMlp
            ? model.ObservationShape.Aggregate(1, (size, dimension) => checked(size * dimension))
            : throw new ArgumentException($"{options.Name} trains {ModelKind.DiscreteSacMlp} networks; this run's model is a {model.Kind}.");

    private static SacLearner SacLearnerFor(ModelSpec model, SacOptions options, ISpace actionSpace, Random weights, RandomSource random, KernelParallelism? parallelism)
    {
        var (observationSize, box) = SacShape(model, options, actionSpace);
        var actor = new SacActor(observationSize, model.Actions, model.HiddenSizes, weights) { Parallelism = parallelism };
        var qf1 = new SoftQNetwork(observationSize, model.Actions, model.HiddenSizes, weights) { Parallelism = parallelism };
        var qf2 = new SoftQNetwork(observationSize, model.Actions, model.HiddenSizes, weights) { Parallelism = parallelism };
        return new SacLearner(actor, qf1, qf2, box.Low, box.High, options, random);
    }

    private static SacPolicy SacPolicyFor(ModelSpec model, SacOptions options, ISpace actionSpace, Random random, KernelParallelism? parallelism, long steps)
    {
        var (observationSize, box) = SacShape(model, options, actionSpace);
        var actor = new SacActor(observationSize, model.Actions, model.HiddenSizes, random) { Parallelism = parallelism };
        return new SacPolicy(actor, box.Low, box.High, options, random) { Steps = steps };
    }

    private static (int ObservationSize, BoxSpace<float> Box) SacShape(ModelSpec model, SacOptions options, ISpace actionSpace)
    {
        if (model.Kind != ModelKind.SacMlp)
        {
            throw new ArgumentException($"{options.Name} trains {ModelKind.SacMlp} networks; this run's model is a {model.Kind}.");
        }

        var box = actionSpace as BoxSpace<float> ?? throw new ArgumentException($"{options.Name} acts in a float Box action space; got {actionSpace}.");
        return (model.ObservationShape.Aggregate(1, (size, dimension) => checked(size * dimension)), box);
    }

    private static T ForSacElementTypes<T>(object built, IAlgorithm algorithm, ModelSpec model)
        where T : class =>
        built as T ?? throw new ArgumentException($"{algorithm.Name} learns from float observations and continuous (float) actions; the {model.Kind} model here reads {model.Observation}.");

    private static T ForFrameTypes<T>(object built, IAlgorithm algorithm, ModelSpec model)
        where T : class =>
        built as T ?? throw new ArgumentException($"{algorithm.Name}'s CNN learns from byte frames and discrete (int) actions; the {model.Kind} model here reads {model.Observation}.");

    private static T ForElementTypes<T>(object built, IAlgorithm algorithm, ModelSpec model)
        where T : class =>
        built as T ?? throw new ArgumentException($"{algorithm.Name} learns from float observations and discrete (int) actions; the {model.Kind} model here reads {model.Observation}.");
}

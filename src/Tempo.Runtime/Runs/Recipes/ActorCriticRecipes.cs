using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Sac;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Wrappers;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>CleanRL's recipe for an env, chosen from its element types: <c>ppo.py</c> for float observations and discrete actions, <c>ppo_continuous_action.py</c> for continuous actions, <c>ppo_atari.py</c> for byte frames and discrete actions.</summary>
/// <remarks>A recipe fixes the env's wrapper stack, the architecture, and the defaults a run of it starts from before a config or flags change them.</remarks>
public static class ActorCriticRecipes
{
    /// <summary>The algorithms a run can be configured with by name (<c>ppo</c>, <c>appo</c>, <c>impala</c>, <c>dqn</c>).</summary>
    public static IReadOnlyList<string> AlgorithmNames => AlgorithmCatalog.Names;

    /// <summary>The architecture the recipe for <paramref name="spec"/>'s env trains.</summary>
    /// <exception cref="ArgumentException">No recipe takes the env's element types.</exception>
    public static ModelKind ModelFor(EnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (spec.ObservationElementType, spec.ActionElementType) switch
        {
            var (o, a) when o == typeof(float) && a == typeof(int) => ModelKind.CategoricalMlp,
            var (o, a) when o == typeof(float) && a == typeof(float) => ModelKind.GaussianMlp,
            var (o, a) when o == typeof(byte) && a == typeof(int) => ModelKind.CategoricalCnn,
            _ => throw new ArgumentException(
                $"Runs here train envs with float observations and discrete or continuous actions, or byte frames and discrete actions; "
                + $"{spec.Id} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}."),
        };
    }

    /// <summary>The settings a run of <paramref name="spec"/>'s env with the algorithm named <paramref name="algorithm"/> starts from.</summary>
    /// <remarks>
    /// CleanRL's <c>ppo.py</c> defaults for discrete actions; for continuous ones <c>ppo_continuous_action.py</c>'s, which
    /// differ in 1M steps, 1 env × 2048 steps, and (PPO) learning rate 3e-4, 32 minibatches, 10 epochs and no entropy
    /// bonus; for byte frames <c>ppo_atari.py</c>'s, which differ in 8 envs, one 512-wide fully connected layer, and (PPO)
    /// a clipping coefficient of 0.1. The step budget stays <c>ppo.py</c>'s 500k rather than <c>ppo_atari.py</c>'s 10M,
    /// which suits Atari, not the small pixel games here. APPO and IMPALA start from their own options' defaults.
    /// </remarks>
    /// <exception cref="ArgumentException">No recipe takes the env, or no algorithm has that name.</exception>
    public static RunSettings Defaults(EnvSpec spec, string algorithm = "ppo")
    {
        ArgumentNullException.ThrowIfNull(spec);
        var model = ModelFor(spec);
        var settings = new RunSettings { Env = spec.Id, Algorithm = AlgorithmCatalog.Defaults(algorithm, model) };
        if (settings.Algorithm is DqnOptions dqn)
        {
            // dqn.py: one env, 500k steps, a 120-84 Q-network (dqn_atari.py on frames: the Nature CNN's 512-wide layer);
            // rollouts of train-frequency steps, each ending in its gradient step.
            RequireValueModel(spec, dqn);
            return settings with
            {
                Collection = new CollectionOptions { TotalTimesteps = 500_000, NumEnvs = 1, NumSteps = dqn.TrainFrequency },
                Model = new ModelOptions { HiddenSizes = model == ModelKind.CategoricalCnn ? [512] : [120, 84] },

                // An update is train-frequency steps here, not a rollout of hundreds: a checkpoint every 50k steps.
                CheckpointEvery = Math.Max(1, 50_000 / dqn.TrainFrequency),

                // A replay learner learns from old experience by design: on the async schedule no segment is too stale to keep.
                Async = settings.Async with { MaxPolicyLag = long.MaxValue },
            };
        }

        if (settings.Algorithm is DiscreteSacOptions discreteSac)
        {
            // sac_atari.py: one env, rollouts of update-frequency steps, each ending in its update; its 5M steps suit
            // Atari, so the budget here is dqn.py's 500k, and the MLPs are 64-64 (sac_atari.py has a CNN only).
            RequireDiscreteVectorModel(spec, discreteSac);
            return settings with
            {
                Collection = new CollectionOptions { TotalTimesteps = 500_000, NumEnvs = 1, NumSteps = discreteSac.UpdateFrequency },
                Model = new ModelOptions { HiddenSizes = [64, 64] },
                CheckpointEvery = Math.Max(1, 50_000 / discreteSac.UpdateFrequency),
                Async = settings.Async with { MaxPolicyLag = long.MaxValue },
            };
        }

        if (settings.Algorithm is SacOptions sac)
        {
            // sac_continuous_action.py: one env, 1M steps, 256-256 networks, a gradient step after every env step.
            RequireContinuousModel(spec, sac);
            return settings with
            {
                Collection = new CollectionOptions { TotalTimesteps = 1_000_000, NumEnvs = 1, NumSteps = 1 },
                Model = new ModelOptions { HiddenSizes = [256, 256] },

                // An update is one env step here: a checkpoint every 50k steps.
                CheckpointEvery = 50_000,
                Async = settings.Async with { MaxPolicyLag = long.MaxValue },
            };
        }

        return model switch
        {
            ModelKind.GaussianMlp => settings with { Collection = new CollectionOptions { TotalTimesteps = 1_000_000, NumEnvs = 1, NumSteps = 2048 } },
            ModelKind.CategoricalCnn or ModelKind.CategoricalMultiInput => settings with
            {
                Collection = new CollectionOptions { NumEnvs = 8 },
                Model = new ModelOptions { HiddenSizes = [CategoricalCnnActorCritic.DefaultHiddenSize] },
            },
            _ => settings,
        };
    }

    /// <summary>Builds the recipe for <paramref name="settings"/>' env and hands it to <paramref name="visitor"/>.</summary>
    internal static TResult Dispatch<TResult>(EnvRegistry registry, RunSettings settings, IRecipeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(visitor);
        var spec = registry.GetSpec(settings.Env);
        if (settings.Algorithm is DqnOptions dqn)
        {
            RequireValueModel(spec, dqn);
            if (ModelFor(spec) == ModelKind.CategoricalCnn)
            {
                // dqn_atari.py's network on the env's own frames, as ppo_atari.py's recipe below.
                return visitor.Visit(new ActorCriticRecipe<byte, int>(
                    ModelKind.QCnn,
                    () => new RecordEpisodeStatistics<byte, int>(registry.Make<byte, int>(settings.Env, settings.EnvOptions)),
                    KernelThreads: 2));
            }
        }

        var id = settings.Env;
        var options = settings.EnvOptions;
        if (settings.Algorithm is DiscreteSacOptions discreteSac)
        {
            // sac_atari.py records episode statistics on the env's own observations.
            RequireDiscreteVectorModel(spec, discreteSac);
            return visitor.Visit(new ActorCriticRecipe<float, int>(
                ModelKind.DiscreteSacMlp,
                () => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>(id, options)),
                KernelThreads: 2));
        }

        if (settings.Algorithm is SacOptions sac)
        {
            // sac_continuous_action.py records episode statistics and nothing else: no normalization, actions squashed into the box.
            RequireContinuousModel(spec, sac);
            return visitor.Visit(new ActorCriticRecipe<float, float>(
                ModelKind.SacMlp,
                () => new RecordEpisodeStatistics<float, float>(registry.Make<float, float>(id, options)),
                KernelThreads: 2));
        }

        switch (ModelFor(spec))
        {
            case ModelKind.CategoricalMlp:
                return visitor.Visit(new ActorCriticRecipe<float, int>(
                    settings.Algorithm is IActorCriticAlgorithm ? ModelKind.CategoricalMlp : ModelKind.QMlp,
                    () => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>(id, options)),
                    KernelThreads: 2));

            case ModelKind.GaussianMlp:
                // ppo_continuous_action.py's stack: statistics on raw rewards, then clip actions, normalize
                // observations and rewards, and clip both to ±10.
                var gamma = settings.Algorithm.Gamma;
                return visitor.Visit(new ActorCriticRecipe<float, float>(
                    ModelKind.GaussianMlp,
                    () => new ClipReward<float, float>(
                        new NormalizeReward<float, float>(
                            new ClipObservation<float>(
                                new NormalizeObservation<float>(
                                    new ClipAction<float>(new RecordEpisodeStatistics<float, float>(registry.Make<float, float>(id, options)))),
                                -10f,
                                10f),
                            gamma),
                        -10f,
                        10f),
                    KernelThreads: 2));

            default:
                // ppo_atari.py's model on the env's own frames: Atari's preprocessing (frame skip, resize, grey, stack) is
                // the env's stack to choose; a small pixel game observes [C, H, W] frames ready for the CNN.
                return visitor.Visit(new ActorCriticRecipe<byte, int>(
                    ModelKind.CategoricalCnn,
                    () => new RecordEpisodeStatistics<byte, int>(registry.Make<byte, int>(id, options)),
                    KernelThreads: 2));
        }
    }

    /// <summary>Throws unless <paramref name="spec"/>'s env gives SAC's networks what they read: float vectors and float box actions.</summary>
    private static void RequireContinuousModel(EnvSpec spec, SacOptions sac)
    {
        if (ModelFor(spec) != ModelKind.GaussianMlp)
        {
            throw new ArgumentException(
                $"{sac.Name} here trains sac_continuous_action.py's MLPs on float observations with continuous actions; {spec.Id} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}.");
        }
    }

    /// <summary>Throws unless <paramref name="spec"/>'s env gives discrete SAC's MLPs what they read: float vectors and discrete actions.</summary>
    private static void RequireDiscreteVectorModel(EnvSpec spec, DiscreteSacOptions sac)
    {
        if (ModelFor(spec) != ModelKind.CategoricalMlp)
        {
            throw new ArgumentException(
                $"{sac.Name} here trains MLPs on float observations with discrete actions; {spec.Id} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}.");
        }
    }

    /// <summary>Throws unless <paramref name="spec"/>'s env gives a Q-network what it reads: float vectors or byte frames, and discrete actions.</summary>
    private static void RequireValueModel(EnvSpec spec, DqnOptions dqn)
    {
        if (ModelFor(spec) is not (ModelKind.CategoricalMlp or ModelKind.CategoricalCnn))
        {
            throw new ArgumentException(
                $"{dqn.Name} here trains dqn.py's MLP Q-network on float observations or dqn_atari.py's CNN on byte frames, with discrete actions; {spec.Id} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}.");
        }
    }
}

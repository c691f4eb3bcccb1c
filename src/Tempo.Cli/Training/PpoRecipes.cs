using System.Diagnostics;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;

namespace Tempo.Cli.Training;

/// <summary>Chooses the CleanRL recipe for an env from its element types: ppo.py for float observations and discrete actions, ppo_continuous_action.py for continuous actions, ppo_atari.py for byte frames and discrete actions.</summary>
internal static class PpoRecipes
{
    private enum Recipe
    {
        /// <summary>CleanRL's ppo.py: separate tanh MLPs, categorical policy.</summary>
        DiscreteMlp,

        /// <summary>CleanRL's ppo_continuous_action.py: separate tanh MLPs, Gaussian policy, normalized observations and rewards.</summary>
        ContinuousMlp,

        /// <summary>CleanRL's ppo_atari.py: a Nature-CNN torso over byte frames shared by both heads, categorical policy.</summary>
        PixelCnn,
    }

    /// <summary>The hyperparameters a run of <paramref name="spec"/>'s env starts from, before a config file and flags change them.</summary>
    /// <remarks>
    /// CleanRL's ppo.py defaults (<see cref="PpoOptions"/>' own) for discrete actions; for continuous ones
    /// ppo_continuous_action.py's, which differ in 1M steps, learning rate 3e-4, 1 env, 2048 steps, 32 minibatches,
    /// 10 epochs and no entropy bonus; for byte frames ppo_atari.py's, which
    /// differ in 8 envs, a clip coefficient of 0.1, and one 512-wide fully connected layer (<c>hidden-sizes</c>) after the
    /// convolutions; its other defaults (128 steps, learning rate 2.5e-4 annealed, γ 0.99, λ 0.95, 4 minibatches,
    /// 4 epochs, entropy 0.01, value 0.5, gradient norm 0.5, clipped value loss, normalized advantages) are ppo.py's too.
    /// The step budget stays ppo.py's 500k rather than ppo_atari.py's 10M, which suits Atari, not the small pixel games here.
    /// </remarks>
    public static PpoOptions DefaultOptions(EnvSpec spec) => RecipeFor(spec) switch
    {
        Recipe.PixelCnn => new PpoOptions { NumEnvs = 8, ClipCoef = 0.1, HiddenSizes = [CategoricalCnnActorCritic.DefaultHiddenSize] },
        Recipe.ContinuousMlp => new PpoOptions
        {
            TotalTimesteps = 1_000_000,
            LearningRate = 3e-4,
            NumEnvs = 1,
            NumSteps = 2048,
            NumMinibatches = 32,
            UpdateEpochs = 10,
            EntCoef = 0.0,
        },
        _ => new PpoOptions(),
    };

    /// <summary>Builds the recipe for <paramref name="settings"/>' env and hands it to <paramref name="visitor"/>.</summary>
    public static TResult Dispatch<TResult>(EnvRegistry registry, TrainSettings settings, IPpoRecipeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var spec = registry.GetSpec(settings.Env);
        var hidden = settings.Ppo.HiddenSizes;
        var options = EnvOptions(spec, settings);
        switch (RecipeFor(spec))
        {
            case Recipe.DiscreteMlp:
                return visitor.Visit(new PpoRecipe<float, int>(
                    () => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>(settings.Env, options)),
                    (env, random, parallelism) => new CategoricalMlpActorCritic(env.ObservationSpace.FlatSize, DiscreteCount(env), hidden, random) { Parallelism = parallelism },
                    KernelThreads: 2));

            case Recipe.ContinuousMlp:
                // ppo_continuous_action.py's stack: statistics on raw rewards, then clip actions, normalize
                // observations and rewards, and clip both to ±10.
                var gamma = settings.Ppo.Gamma;
                return visitor.Visit(new PpoRecipe<float, float>(
                    () => new ClipReward<float, float>(
                        new NormalizeReward<float, float>(
                            new ClipObservation<float>(
                                new NormalizeObservation<float>(
                                    new ClipAction<float>(new RecordEpisodeStatistics<float, float>(registry.Make<float, float>(settings.Env, options)))),
                                -10f,
                                10f),
                            gamma),
                        -10f,
                        10f),
                    (env, random, parallelism) => new GaussianMlpActorCritic(env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize, hidden, random) { Parallelism = parallelism },
                    KernelThreads: 2));

            case Recipe.PixelCnn:
                // ppo_atari.py's model on the env's own frames: Atari's preprocessing (frame skip, resize, grey, stack) is
                // the env's stack to choose; a small pixel game observes [C, H, W] frames ready for the CNN.
                if (hidden.Count != 1)
                {
                    throw new ArgumentException(
                        $"The CNN recipe for {settings.Env} has one fully connected layer after the convolutions; hidden-sizes takes one width (ppo_atari.py: 512), got [{string.Join(", ", hidden)}].");
                }

                return visitor.Visit(new PpoRecipe<byte, int>(
                    () => new RecordEpisodeStatistics<byte, int>(registry.Make<byte, int>(settings.Env, options)),
                    (env, random, parallelism) => CategoricalCnnActorCritic.ForObservationShape(env.ObservationSpace.Shape, DiscreteCount(env), random, hidden[0], parallelism),
                    KernelThreads: 2));

            default:
                throw new UnreachableException();
        }
    }

    private static Recipe RecipeFor(EnvSpec spec) =>
        (spec.ObservationElementType, spec.ActionElementType) switch
        {
            var (o, a) when o == typeof(float) && a == typeof(int) => Recipe.DiscreteMlp,
            var (o, a) when o == typeof(float) && a == typeof(float) => Recipe.ContinuousMlp,
            var (o, a) when o == typeof(byte) && a == typeof(int) => Recipe.PixelCnn,
            _ => throw new ArgumentException(
                $"PPO here trains envs with float observations and discrete or continuous actions, or byte frames and discrete actions; "
                + $"{spec.Id} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}."),
        };

    /// <summary>The typed options the settings imply for the env: today the tick rate of a live env.</summary>
    private static object? EnvOptions(EnvSpec spec, TrainSettings settings)
    {
        if (settings.TickRate is not { } rate)
        {
            return null;
        }

        var ticks = new LiveTickOptions { TickRateHertz = rate };
        ticks.Validate();
        return spec.OptionsType == typeof(LiveCartPoleOptions) ? new LiveCartPoleOptions { Ticks = ticks }
            : spec.OptionsType == typeof(LivePendulumOptions) ? new LivePendulumOptions { Ticks = ticks }
            : throw new ArgumentException($"--tick-rate applies to live envs (LiveCartPole-v1, LivePendulum-v1); {spec.Id} runs as fast as it is stepped.");
    }

    private static int DiscreteCount<TObservation>(IEnv<TObservation, int> env)
        where TObservation : unmanaged =>
        env.ActionSpace is DiscreteSpace { Start: 0 } discrete
            ? discrete.N
            : throw new ArgumentException($"PPO's categorical policy needs a Discrete(n) action space starting at 0; got {env.ActionSpace}.");
}

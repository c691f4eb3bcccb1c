using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;

namespace Tempo.Cli.Training;

/// <summary>Chooses the CleanRL recipe for an env from its element types: ppo.py for discrete actions, ppo_continuous_action.py for continuous ones.</summary>
internal static class PpoRecipes
{
    /// <summary>Builds the recipe for <paramref name="settings"/>' env and hands it to <paramref name="visitor"/>.</summary>
    public static TResult Dispatch<TResult>(EnvRegistry registry, TrainSettings settings, IPpoRecipeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var spec = registry.GetSpec(settings.Env);
        var hidden = settings.Ppo.HiddenSizes;
        var options = EnvOptions(spec, settings);
        if (spec.ObservationElementType == typeof(float) && spec.ActionElementType == typeof(int))
        {
            return visitor.Visit(new PpoRecipe<float, int>(
                () => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>(settings.Env, options)),
                (env, random) => new CategoricalMlpActorCritic(env.ObservationSpace.FlatSize, DiscreteCount(env), hidden, random)));
        }

        if (spec.ObservationElementType == typeof(float) && spec.ActionElementType == typeof(float))
        {
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
                (env, random) => new GaussianMlpActorCritic(env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize, hidden, random)));
        }

        throw new ArgumentException(
            $"PPO here trains envs with float observations and discrete or continuous actions; {settings.Env} has observations of {spec.ObservationElementType.Name} and actions of {spec.ActionElementType.Name}.");
    }

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

    private static int DiscreteCount(IEnv<float, int> env) =>
        env.ActionSpace is DiscreteSpace { Start: 0 } discrete
            ? discrete.N
            : throw new ArgumentException($"PPO's categorical policy needs a Discrete(n) action space starting at 0; got {env.ActionSpace}.");
}

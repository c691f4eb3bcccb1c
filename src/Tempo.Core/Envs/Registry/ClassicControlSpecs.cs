using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Envs.Registry;

/// <summary>The specs of the five classic-control envs, with Gymnasium 0.29.1's ids and time limits.</summary>
internal static class ClassicControlSpecs
{
    /// <summary>Returns fresh specs for CartPole-v1, Acrobot-v1, MountainCar-v0, MountainCarContinuous-v0 and Pendulum-v1.</summary>
    public static IEnumerable<EnvSpec> All() =>
    [
        EnvSpec.Create<float, int, CartPoleOptions>("CartPole-v1", options => new CartPole(options), maxEpisodeSteps: 500),
        EnvSpec.Create<float, int, AcrobotOptions>("Acrobot-v1", options => new Acrobot(options), maxEpisodeSteps: 500),
        EnvSpec.Create<float, int, MountainCarOptions>("MountainCar-v0", options => new MountainCar(options), maxEpisodeSteps: 200),
        EnvSpec.Create<float, float, MountainCarContinuousOptions>(
            "MountainCarContinuous-v0", options => new MountainCarContinuous(options), maxEpisodeSteps: 999),
        EnvSpec.Create<float, float, PendulumOptions>("Pendulum-v1", options => new Pendulum(options), maxEpisodeSteps: 200),
    ];
}

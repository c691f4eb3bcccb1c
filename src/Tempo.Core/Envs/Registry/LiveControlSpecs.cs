using Tempo.Core.Envs.Live;

namespace Tempo.Core.Envs.Registry;

/// <summary>The specs of the live classic-control envs, with the time limits of their classic twins.</summary>
internal static class LiveControlSpecs
{
    /// <summary>Returns fresh specs for LiveCartPole-v1 (500 steps) and LivePendulum-v1 (200 steps).</summary>
    public static IEnumerable<EnvSpec> All() =>
    [
        EnvSpec.Create<float, int, LiveCartPoleOptions>("LiveCartPole-v1", options => new LiveCartPole(options), maxEpisodeSteps: 500),
        EnvSpec.Create<float, float, LivePendulumOptions>("LivePendulum-v1", options => new LivePendulum(options), maxEpisodeSteps: 200),
    ];
}

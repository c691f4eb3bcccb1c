using Tempo.Core.Envs.Live;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Envs.Registry;

/// <summary>The specs of the live classic-control envs, with the time limits of their classic twins.</summary>
/// <remarks>Each env wears <see cref="RecordActionGaps{TObservation, TAction}"/> directly, under the time limit, so that runs can report its action gaps.</remarks>
internal static class LiveControlSpecs
{
    /// <summary>Returns fresh specs for LiveCartPole-v1 (500 steps) and LivePendulum-v1 (200 steps).</summary>
    public static IEnumerable<EnvSpec> All() =>
    [
        EnvSpec.Create<float, int, LiveCartPoleOptions>(
            "LiveCartPole-v1",
            options => new RecordActionGaps<float, int>(new LiveCartPole(options), options.Ticks.ActionGapWindow),
            maxEpisodeSteps: 500),
        EnvSpec.Create<float, float, LivePendulumOptions>(
            "LivePendulum-v1",
            options => new RecordActionGaps<float, float>(new LivePendulum(options), options.Ticks.ActionGapWindow),
            maxEpisodeSteps: 200),
    ];
}

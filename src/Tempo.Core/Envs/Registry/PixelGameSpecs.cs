using Tempo.Core.Envs.Pixel;

namespace Tempo.Core.Envs.Registry;

/// <summary>The specs of the small games observed as byte frames, for pixel-input (CNN) agents.</summary>
internal static class PixelGameSpecs
{
    /// <summary>
    /// Returns fresh specs for Catch-v0 and CatchFeatures-v0, which observes a dict of the frame and the positions
    /// (no time limit: every episode ends after rows − 1 steps).
    /// </summary>
    public static IEnumerable<EnvSpec> All() =>
    [
        EnvSpec.Create<byte, int, CatchOptions>("Catch-v0", options => new Catch(options), maxEpisodeSteps: null),
        EnvSpec.Create<byte, int, CatchOptions>(
            "CatchFeatures-v0", options => new Catch(options with { PositionFeatures = true }), maxEpisodeSteps: null),
    ];
}

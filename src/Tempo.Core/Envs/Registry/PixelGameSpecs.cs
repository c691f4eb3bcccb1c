using Tempo.Core.Envs.Pixel;

namespace Tempo.Core.Envs.Registry;

/// <summary>The specs of the small games observed as byte frames, for pixel-input (CNN) agents.</summary>
internal static class PixelGameSpecs
{
    /// <summary>Returns a fresh spec for Catch-v0 (no time limit: every episode ends after rows − 1 steps).</summary>
    public static IEnumerable<EnvSpec> All() =>
    [
        EnvSpec.Create<byte, int, CatchOptions>("Catch-v0", options => new Catch(options), maxEpisodeSteps: null),
    ];
}

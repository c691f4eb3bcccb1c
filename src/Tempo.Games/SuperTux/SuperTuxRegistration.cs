using Tempo.Core.Envs.Registry;

namespace Tempo.Games.SuperTux;

/// <summary>Registers <c>SuperTux-v0</c> (no step limit: the wall-time cap ends long episodes).</summary>
public sealed class SuperTuxRegistration : IEnvRegistration
{
    /// <inheritdoc/>
    public void Register(EnvRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(EnvSpec.Create<byte, int, SuperTuxOptions>(SuperTuxEnvs.Id, SuperTuxEnvs.Make, maxEpisodeSteps: null));
    }
}

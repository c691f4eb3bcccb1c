using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Envs.Live;

/// <summary>The settings of <see cref="LivePendulum"/>: Pendulum-v1's physics and a 20 Hz world clock.</summary>
public sealed record LivePendulumOptions
{
    /// <summary>The physics; one tick advances the world by Pendulum-v1's dt, 0.05 s.</summary>
    public PendulumOptions Physics { get; init; } = new();

    /// <summary>The world clock; the default 20 Hz makes world time run at wall-clock speed with dt = 0.05 s.</summary>
    public LiveTickOptions Ticks { get; init; } = new() { TickRateHertz = 20 };

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Physics);
        ArgumentNullException.ThrowIfNull(Ticks);
        Physics.Validate();
        Ticks.Validate();
    }
}

using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Envs.Live;

/// <summary>The settings of <see cref="LiveCartPole"/>: CartPole-v1's physics and a 50 Hz world clock.</summary>
public sealed record LiveCartPoleOptions
{
    /// <summary>The physics; one tick advances the world by <see cref="CartPoleOptions.TimeStep"/> (Gymnasium's tau, 0.02 s).</summary>
    public CartPoleOptions Physics { get; init; } = new();

    /// <summary>The world clock; the default 50 Hz makes world time run at wall-clock speed with tau = 0.02 s.</summary>
    public LiveTickOptions Ticks { get; init; } = new() { TickRateHertz = 50 };

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Physics);
        ArgumentNullException.ThrowIfNull(Ticks);
        Physics.Validate();
        Ticks.Validate();
    }
}

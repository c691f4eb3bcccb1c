namespace Tempo.Core.Envs.Classic;

/// <summary>The settings of <see cref="Pendulum"/>; the defaults are Gymnasium's Pendulum-v1.</summary>
public sealed record PendulumOptions
{
    /// <summary>Gravitational acceleration, m/s² (Gymnasium's <c>g</c>).</summary>
    public double Gravity { get; init; } = 10.0;

    /// <summary>The initial angle is drawn uniformly from [−bound, bound] (Gymnasium's reset option <c>x_init</c>).</summary>
    public double InitialAngleBound { get; init; } = Math.PI;

    /// <summary>The initial angular velocity is drawn uniformly from [−bound, bound] (Gymnasium's <c>y_init</c>).</summary>
    public double InitialAngularVelocityBound { get; init; } = 1.0;

    /// <summary>Throws if a setting is out of range.</summary>
    public void Validate()
    {
        OptionChecks.Finite(Gravity);
        OptionChecks.NonNegative(InitialAngleBound);
        OptionChecks.NonNegative(InitialAngularVelocityBound);
    }
}

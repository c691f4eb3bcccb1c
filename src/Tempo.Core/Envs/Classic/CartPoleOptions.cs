namespace Tempo.Core.Envs.Classic;

/// <summary>The constants of <see cref="CartPole"/>; the defaults are Gymnasium's CartPole-v1.</summary>
public sealed record CartPoleOptions
{
    /// <summary>Gravitational acceleration, m/s².</summary>
    public double Gravity { get; init; } = 9.8;

    /// <summary>Mass of the cart, kg.</summary>
    public double CartMass { get; init; } = 1.0;

    /// <summary>Mass of the pole, kg.</summary>
    public double PoleMass { get; init; } = 0.1;

    /// <summary>Half the pole's length, m (Gymnasium's <c>length</c>).</summary>
    public double PoleHalfLength { get; init; } = 0.5;

    /// <summary>Magnitude of the push applied by either action, N.</summary>
    public double ForceMagnitude { get; init; } = 10.0;

    /// <summary>Seconds between state updates (Gymnasium's <c>tau</c>).</summary>
    public double TimeStep { get; init; } = 0.02;

    /// <summary>The integration scheme.</summary>
    public CartPoleIntegrator Integrator { get; init; } = CartPoleIntegrator.Euler;

    /// <summary>Pole angle, in radians either side of upright, beyond which the episode terminates (12°).</summary>
    public double ThetaThresholdRadians { get; init; } = 12 * 2 * Math.PI / 360;

    /// <summary>Cart position beyond which the episode terminates, m.</summary>
    public double XThreshold { get; init; } = 2.4;

    /// <summary>Lower bound of the uniform draw of every initial state variable.</summary>
    public double ResetLow { get; init; } = -0.05;

    /// <summary>Upper bound of the uniform draw of every initial state variable.</summary>
    public double ResetHigh { get; init; } = 0.05;

    /// <summary>Throws if any constant is out of its physical range.</summary>
    public void Validate()
    {
        OptionChecks.Finite(Gravity);
        OptionChecks.Positive(CartMass);
        OptionChecks.Positive(PoleMass);
        OptionChecks.Positive(PoleHalfLength);
        OptionChecks.NonNegative(ForceMagnitude);
        OptionChecks.Positive(TimeStep);
        OptionChecks.Defined(Integrator);
        OptionChecks.Positive(ThetaThresholdRadians);
        OptionChecks.Positive(XThreshold);
        OptionChecks.ResetRange(ResetLow, ResetHigh);
    }
}

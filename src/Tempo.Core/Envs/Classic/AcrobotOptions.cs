namespace Tempo.Core.Envs.Classic;

/// <summary>The constants of <see cref="Acrobot"/>; the defaults are Gymnasium's Acrobot-v1.</summary>
public sealed record AcrobotOptions
{
    /// <summary>Seconds integrated by one step (Gymnasium's <c>dt</c>).</summary>
    public double TimeStep { get; init; } = 0.2;

    /// <summary>Length of the first link, m.</summary>
    public double LinkLength1 { get; init; } = 1.0;

    /// <summary>Length of the second link, m.</summary>
    public double LinkLength2 { get; init; } = 1.0;

    /// <summary>Mass of the first link, kg.</summary>
    public double LinkMass1 { get; init; } = 1.0;

    /// <summary>Mass of the second link, kg.</summary>
    public double LinkMass2 { get; init; } = 1.0;

    /// <summary>Position of the first link's centre of mass along the link, m.</summary>
    public double LinkCenterOfMass1 { get; init; } = 0.5;

    /// <summary>Position of the second link's centre of mass along the link, m.</summary>
    public double LinkCenterOfMass2 { get; init; } = 0.5;

    /// <summary>Moment of inertia of either link.</summary>
    public double LinkMomentOfInertia { get; init; } = 1.0;

    /// <summary>Bound on the first joint's angular velocity, rad/s.</summary>
    public double MaxVelocity1 { get; init; } = 4 * Math.PI;

    /// <summary>Bound on the second joint's angular velocity, rad/s.</summary>
    public double MaxVelocity2 { get; init; } = 9 * Math.PI;

    /// <summary>Half-width of the uniform noise added to the torque at every step (0: none).</summary>
    public double TorqueNoiseMax { get; init; }

    /// <summary>The equations of motion.</summary>
    public AcrobotDynamics Dynamics { get; init; } = AcrobotDynamics.Book;

    /// <summary>Lower bound of the uniform draw of every initial state variable.</summary>
    public double ResetLow { get; init; } = -0.1;

    /// <summary>Upper bound of the uniform draw of every initial state variable.</summary>
    public double ResetHigh { get; init; } = 0.1;

    /// <summary>Throws if any constant is out of its physical range.</summary>
    public void Validate()
    {
        OptionChecks.Positive(TimeStep);
        OptionChecks.Positive(LinkLength1);
        OptionChecks.Positive(LinkLength2);
        OptionChecks.Positive(LinkMass1);
        OptionChecks.Positive(LinkMass2);
        OptionChecks.NonNegative(LinkCenterOfMass1);
        OptionChecks.NonNegative(LinkCenterOfMass2);
        OptionChecks.Positive(LinkMomentOfInertia);
        OptionChecks.Positive(MaxVelocity1);
        OptionChecks.Positive(MaxVelocity2);
        OptionChecks.NonNegative(TorqueNoiseMax);
        OptionChecks.Defined(Dynamics);
        OptionChecks.ResetRange(ResetLow, ResetHigh);
    }
}

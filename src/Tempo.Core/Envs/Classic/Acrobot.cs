using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Classic;

/// <summary>Gymnasium's Acrobot-v1: swing a two-link chain, actuated at the middle joint, above a line.</summary>
/// <remarks>
/// Sutton (1996) and Sutton and Barto's book dynamics, integrated with one RK4 step of <c>dt</c> = 0.2 s in
/// float64 exactly as Gymnasium 0.29.1 computes it; joint angles are then wrapped into [−π, π] and angular
/// velocities bounded. Actions 0, 1, 2 apply torque −1, 0, +1. Reward −1 per step and 0 on the terminating step,
/// reached when −cos θ₁ − cos(θ₁ + θ₂) &gt; 1. Observations are (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂) in float32.
/// </remarks>
public sealed partial class Acrobot : Env<float, int>, IRenderable, IPhysicalState
{
    private const int StateSize = 4;
    private const double Gravity = 9.8;
    private const double HalfPi = Math.PI / 2.0;

    private readonly double _dt;
    private readonly double _maxVelocity1;
    private readonly double _maxVelocity2;
    private readonly double _torqueNoiseMax;
    private readonly bool _bookDynamics;

    // Products of constants that Gymnasium's expressions evaluate first (left to right), so precomputing
    // them changes no rounding.
    private readonly double _d1Constant;              // m1 * lc1**2
    private readonly double _d1LinkSquares;           // l1**2 + lc2**2
    private readonly double _d1CrossCoefficient;      // 2 * l1 * lc2
    private readonly double _linkMass2;               // m2
    private readonly double _moment1;                 // I1
    private readonly double _moment2;                 // I2
    private readonly double _lc2Squared;              // lc2**2
    private readonly double _l1Lc2;                   // l1 * lc2
    private readonly double _phi2Coefficient;         // m2 * lc2 * g
    private readonly double _phi1Term1Coefficient;    // -m2 * l1 * lc2
    private readonly double _phi1Term2Coefficient;    // 2 * m2 * l1 * lc2
    private readonly double _phi1Term3Coefficient;    // (m1 * lc1 + m2 * l1) * g
    private readonly double _m2L1Lc2;                 // m2 * l1 * lc2
    private readonly double _denominatorConstant;     // m2 * lc2**2 + I2

    private double _theta1;
    private double _theta2;
    private double _dTheta1;
    private double _dTheta2;
    private bool _hasState;

    /// <summary>Creates Acrobot-v1 with Gymnasium's constants.</summary>
    public Acrobot()
        : this(new AcrobotOptions())
    {
    }

    /// <summary>Creates the env with the given constants.</summary>
    public Acrobot(AcrobotOptions options)
        : base(CreateObservationSpace(options), new DiscreteSpace(3))
    {
        Options = options;
        _dt = options.TimeStep;
        _maxVelocity1 = options.MaxVelocity1;
        _maxVelocity2 = options.MaxVelocity2;
        _torqueNoiseMax = options.TorqueNoiseMax;
        _bookDynamics = options.Dynamics == AcrobotDynamics.Book;

        var (m1, m2) = (options.LinkMass1, options.LinkMass2);
        var l1 = options.LinkLength1;
        var (lc1, lc2) = (options.LinkCenterOfMass1, options.LinkCenterOfMass2);
        _d1Constant = m1 * (lc1 * lc1);
        _d1LinkSquares = (l1 * l1) + (lc2 * lc2);
        _d1CrossCoefficient = 2 * l1 * lc2;
        _linkMass2 = m2;
        _moment1 = options.LinkMomentOfInertia;
        _moment2 = options.LinkMomentOfInertia;
        _lc2Squared = lc2 * lc2;
        _l1Lc2 = l1 * lc2;
        _phi2Coefficient = m2 * lc2 * Gravity;
        _phi1Term1Coefficient = -m2 * l1 * lc2;
        _phi1Term2Coefficient = 2 * m2 * l1 * lc2;
        _phi1Term3Coefficient = ((m1 * lc1) + (m2 * l1)) * Gravity;
        _m2L1Lc2 = m2 * l1 * lc2;
        _denominatorConstant = (m2 * (lc2 * lc2)) + options.LinkMomentOfInertia;
    }

    /// <summary>The constants this env was created with.</summary>
    public AcrobotOptions Options { get; }

    int IPhysicalState.StateLength => StateSize;

    /// <inheritdoc/>
    protected override void ResetCore(Span<float> observation)
    {
        // Gymnasium draws in float64 and stores the state as float32.
        _theta1 = (float)Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _theta2 = (float)Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _dTheta1 = (float)Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _dTheta2 = (float)Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        double torque = action[0] - 1;
        if (_torqueNoiseMax > 0)
        {
            torque += Random.NextUniform(-_torqueNoiseMax, _torqueNoiseMax);
        }

        Integrate(torque);
        var (cos1, cos12) = (Math.Cos(_theta1), Math.Cos(_theta2 + _theta1));
        var terminated = -cos1 - cos12 > 1.0;
        WriteObservation(observation);
        return new StepResult(terminated ? 0f : -1f, terminated, false);
    }

    /// <summary>One RK4 step over [0, dt] (Gymnasium's <c>rk4(self._dsdt, s_augmented, [0, self.dt])</c>), then wrap and bound.</summary>
    private void Integrate(double torque)
    {
        var dt = _dt;
        var halfDt = dt / 2.0;
        var (y0, y1, y2, y3) = (_theta1, _theta2, _dTheta1, _dTheta2);

        var (k1c, k1d) = Accelerations(y0, y1, y2, y3, torque);
        var (k1a, k1b) = (y2, y3);

        var (z0, z1, z2, z3) = (y0 + (halfDt * k1a), y1 + (halfDt * k1b), y2 + (halfDt * k1c), y3 + (halfDt * k1d));
        var (k2c, k2d) = Accelerations(z0, z1, z2, z3, torque);
        var (k2a, k2b) = (z2, z3);

        (z0, z1, z2, z3) = (y0 + (halfDt * k2a), y1 + (halfDt * k2b), y2 + (halfDt * k2c), y3 + (halfDt * k2d));
        var (k3c, k3d) = Accelerations(z0, z1, z2, z3, torque);
        var (k3a, k3b) = (z2, z3);

        (z0, z1, z2, z3) = (y0 + (dt * k3a), y1 + (dt * k3b), y2 + (dt * k3c), y3 + (dt * k3d));
        var (k4c, k4d) = Accelerations(z0, z1, z2, z3, torque);
        var (k4a, k4b) = (z2, z3);

        var sixthDt = dt / 6.0;
        _theta1 = Wrap(y0 + (sixthDt * (k1a + (2 * k2a) + (2 * k3a) + k4a)));
        _theta2 = Wrap(y1 + (sixthDt * (k1b + (2 * k2b) + (2 * k3b) + k4b)));
        _dTheta1 = Bound(y2 + (sixthDt * (k1c + (2 * k2c) + (2 * k3c) + k4c)), _maxVelocity1);
        _dTheta2 = Bound(y3 + (sixthDt * (k1d + (2 * k2d) + (2 * k3d) + k4d)), _maxVelocity2);
    }

    /// <summary>The joint accelerations (θ̈₁, θ̈₂) of Gymnasium's <c>_dsdt</c>, term for term.</summary>
    private (double DdTheta1, double DdTheta2) Accelerations(double theta1, double theta2, double dTheta1, double dTheta2, double torque)
    {
        var (sin2, cos2) = Math.SinCos(theta2);
        var d1 = _d1Constant + (_linkMass2 * (_d1LinkSquares + (_d1CrossCoefficient * cos2))) + _moment1 + _moment2;
        var d2 = (_linkMass2 * (_lc2Squared + (_l1Lc2 * cos2))) + _moment2;
        var phi2 = _phi2Coefficient * Math.Cos(theta1 + theta2 - HalfPi);
        var phi1 = (_phi1Term1Coefficient * (dTheta2 * dTheta2) * sin2)
            - (_phi1Term2Coefficient * dTheta2 * dTheta1 * sin2)
            + (_phi1Term3Coefficient * Math.Cos(theta1 - HalfPi))
            + phi2;
        var denominator = _denominatorConstant - (d2 * d2 / d1);
        var ddTheta2 = _bookDynamics
            ? (torque + (d2 / d1 * phi1) - (_m2L1Lc2 * (dTheta1 * dTheta1) * sin2) - phi2) / denominator
            : (torque + (d2 / d1 * phi1) - phi2) / denominator;
        var ddTheta1 = -((d2 * ddTheta2) + phi1) / d1;
        return (ddTheta1, ddTheta2);
    }

    /// <summary>Gymnasium's <c>wrap(x, -pi, pi)</c>: shifts by whole turns until x lies in [−π, π].</summary>
    private static double Wrap(double x)
    {
        const double turn = Math.PI - -Math.PI;
        while (x > Math.PI)
        {
            x -= turn;
        }

        while (x < -Math.PI)
        {
            x += turn;
        }

        return x;
    }

    /// <summary>Gymnasium's <c>bound(x, -limit, limit)</c>, i.e. <c>min(max(x, -limit), limit)</c>.</summary>
    private static double Bound(double x, double limit)
    {
        var lower = -limit > x ? -limit : x;
        return limit < lower ? limit : lower;
    }

    void IPhysicalState.SetState(ReadOnlySpan<double> state, Span<float> observation)
    {
        StateBuffers.Require(state.Length, StateSize, observation.Length, ObservationSpace.FlatSize, this);
        (_theta1, _theta2, _dTheta1, _dTheta2) = (state[0], state[1], state[2], state[3]);
        _hasState = true;
        WriteObservation(observation);
    }

    void IPhysicalState.GetState(Span<double> state)
    {
        StateBuffers.RequireState(state.Length, StateSize, this);
        state[0] = _theta1;
        state[1] = _theta2;
        state[2] = _dTheta1;
        state[3] = _dTheta2;
    }

    private void WriteObservation(Span<float> observation)
    {
        var (sin1, cos1) = Math.SinCos(_theta1);
        var (sin2, cos2) = Math.SinCos(_theta2);
        observation[5] = (float)_dTheta2;
        observation[4] = (float)_dTheta1;
        observation[3] = (float)sin2;
        observation[2] = (float)cos2;
        observation[1] = (float)sin1;
        observation[0] = (float)cos1;
    }

    private static BoxSpace<float> CreateObservationSpace(AcrobotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ReadOnlySpan<float> high = [1f, 1f, 1f, 1f, (float)options.MaxVelocity1, (float)options.MaxVelocity2];
        ReadOnlySpan<float> low = [-1f, -1f, -1f, -1f, -high[4], -high[5]];
        return new BoxSpace<float>(low, high);
    }
}

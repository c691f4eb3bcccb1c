using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Classic;

/// <summary>Gymnasium's Pendulum-v1: swing a frictionless pendulum up and hold it with a bounded torque in [−2, 2].</summary>
/// <remarks>
/// Gymnasium 0.29.1's update in float64: the torque is clipped, the cost is θ_n² + 0.1·θ̇² + 0.001·u² with θ_n the
/// angle normalized to [−π, π) by a floored modulo (NumPy's <c>%</c>), then θ̇ += (3g/2l·sin θ + 3/(ml²)·u)·dt,
/// clipped to ±8, and θ += θ̇·dt. The reward is −cost; the episode never terminates (only the time limit ends it).
/// Observations are (cos θ, sin θ, θ̇) in float32.
/// </remarks>
public sealed partial class Pendulum : Env<float, float>, IRenderable, IPhysicalState
{
    private const int StateSize = 2;
    private const double MaxSpeed = 8.0;
    private const double MaxTorque = 2.0;
    private const double TimeStep = 0.05;
    private const double Mass = 1.0;
    private const double Length = 1.0;

    // 3 * g / (2 * l) and 3.0 / (m * l**2): Gymnasium evaluates each before multiplying, so precomputing keeps every rounding.
    private readonly double _gravityCoefficient;
    private readonly double _torqueCoefficient;

    private double _theta;
    private double _thetaDot;
    private double _lastTorque;
    private bool _hasLastTorque;
    private bool _hasState;

    /// <summary>Creates Pendulum-v1 with Gymnasium's settings.</summary>
    public Pendulum()
        : this(new PendulumOptions())
    {
    }

    /// <summary>Creates the env with the given settings.</summary>
    public Pendulum(PendulumOptions options)
        : base(CreateObservationSpace(options), new BoxSpace<float>((float)-MaxTorque, (float)MaxTorque, 1))
    {
        Options = options;
        _gravityCoefficient = 3 * options.Gravity / (2 * Length);
        _torqueCoefficient = 3.0 / (Mass * (Length * Length));
    }

    /// <summary>The settings this env was created with.</summary>
    public PendulumOptions Options { get; }

    int IPhysicalState.StateLength => StateSize;

    /// <inheritdoc/>
    protected override void ResetCore(Span<float> observation)
    {
        _theta = Random.NextUniform(-Options.InitialAngleBound, Options.InitialAngleBound);
        _thetaDot = Random.NextUniform(-Options.InitialAngularVelocityBound, Options.InitialAngularVelocityBound);
        _hasLastTorque = false;
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation) => ApplyTorque(action[0], observation);

    /// <summary>Advances the dynamics by one time step under a torque (clipped to [−2, 2]) and writes the observation.</summary>
    /// <remarks>The step of <see cref="StepCore"/>, shared with the live env; it bypasses the episode checks of <see cref="Env{TObservation, TAction}.Step"/>.</remarks>
    internal StepResult ApplyTorque(float action, Span<float> observation)
    {
        // The torque keeps its float32 value; NumPy 1.x promotes it to float64 in every product below.
        double torque = Math.Clamp(action, (float)-MaxTorque, (float)MaxTorque);
        _lastTorque = torque;
        _hasLastTorque = true;

        var normalized = NormalizeAngle(_theta);
        var cost = (normalized * normalized) + (0.1 * (_thetaDot * _thetaDot)) + (0.001 * (torque * torque));

        var thetaDot = _thetaDot + (((_gravityCoefficient * Math.Sin(_theta)) + (_torqueCoefficient * torque)) * TimeStep);
        thetaDot = Math.Min(Math.Max(thetaDot, -MaxSpeed), MaxSpeed);
        _theta += thetaDot * TimeStep;
        _thetaDot = thetaDot;

        WriteObservation(observation);
        return new StepResult((float)-cost, false, false);
    }

    /// <summary>Gymnasium's <c>angle_normalize</c>: <c>((x + π) % 2π) − π</c> with NumPy's floored modulo.</summary>
    internal static double NormalizeAngle(double x)
    {
        const double period = 2 * Math.PI;
        var remainder = (x + Math.PI) % period;

        // C#'s % truncates (C fmod); NumPy moves a remainder whose sign differs from the divisor's by one period.
        if (remainder < 0)
        {
            remainder += period;
        }
        else if (remainder == 0)
        {
            remainder = 0.0;
        }

        return remainder - Math.PI;
    }

    void IPhysicalState.SetState(ReadOnlySpan<double> state, Span<float> observation)
    {
        StateBuffers.Require(state.Length, StateSize, observation.Length, ObservationSpace.FlatSize, this);
        (_theta, _thetaDot) = (state[0], state[1]);
        _hasState = true;
        WriteObservation(observation);
    }

    void IPhysicalState.GetState(Span<double> state)
    {
        StateBuffers.RequireState(state.Length, StateSize, this);
        state[0] = _theta;
        state[1] = _thetaDot;
    }

    private void WriteObservation(Span<float> observation)
    {
        var (sin, cos) = Math.SinCos(_theta);
        observation[2] = (float)_thetaDot;
        observation[1] = (float)sin;
        observation[0] = (float)cos;
    }

    private static BoxSpace<float> CreateObservationSpace(PendulumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BoxSpace<float>([-1f, -1f, (float)-MaxSpeed], [1f, 1f, (float)MaxSpeed]);
    }
}

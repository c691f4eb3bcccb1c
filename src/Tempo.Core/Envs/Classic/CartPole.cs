using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Classic;

/// <summary>Gymnasium's CartPole-v1: balance a pole on a cart by pushing the cart left (0) or right (1).</summary>
/// <remarks>
/// Barto, Sutton and Anderson (1983), with Gymnasium 0.29.1's equations and order of operations in float64
/// (Florian 2007, "Correct equations for the dynamics of the cart-pole system"). Reward +1 per step, the
/// terminating step included; the episode terminates when |x| &gt; 2.4 or |θ| &gt; 12°. Observations are
/// (x, ẋ, θ, θ̇) rounded to float32.
/// </remarks>
public sealed partial class CartPole : Env<float, int>, IRenderable, IPhysicalState
{
    private const int StateSize = 4;

    private readonly double _gravity;
    private readonly double _poleMass;
    private readonly double _totalMass;
    private readonly double _halfLength;
    private readonly double _poleMassLength;
    private readonly double _forceMagnitude;
    private readonly double _tau;
    private readonly bool _semiImplicit;
    private readonly double _thetaThreshold;
    private readonly double _xThreshold;

    private double _x;
    private double _xDot;
    private double _theta;
    private double _thetaDot;
    private bool _hasState;

    /// <summary>Creates CartPole-v1 with Gymnasium's constants.</summary>
    public CartPole()
        : this(new CartPoleOptions())
    {
    }

    /// <summary>Creates the env with the given constants.</summary>
    public CartPole(CartPoleOptions options)
        : base(CreateObservationSpace(options), new DiscreteSpace(2))
    {
        Options = options;
        _gravity = options.Gravity;
        _poleMass = options.PoleMass;
        _totalMass = options.PoleMass + options.CartMass;
        _halfLength = options.PoleHalfLength;
        _poleMassLength = options.PoleMass * options.PoleHalfLength;
        _forceMagnitude = options.ForceMagnitude;
        _tau = options.TimeStep;
        _semiImplicit = options.Integrator == CartPoleIntegrator.SemiImplicitEuler;
        _thetaThreshold = options.ThetaThresholdRadians;
        _xThreshold = options.XThreshold;
    }

    /// <summary>The constants this env was created with.</summary>
    public CartPoleOptions Options { get; }

    int IPhysicalState.StateLength => StateSize;

    /// <inheritdoc/>
    protected override void ResetCore(Span<float> observation)
    {
        _x = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _xDot = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _theta = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _thetaDot = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation) =>
        ApplyForce(action[0] == 1 ? _forceMagnitude : -_forceMagnitude, observation);

    /// <summary>Advances the dynamics by one time step under a horizontal force on the cart and writes the observation.</summary>
    /// <remarks>
    /// The step of <see cref="StepCore"/> for an arbitrary force; the live env uses it to apply zero force when no
    /// input arrives. It bypasses the episode checks of <see cref="Env{TObservation, TAction}.Step"/>.
    /// </remarks>
    internal StepResult ApplyForce(double force, Span<float> observation)
    {
        // glibc's sincos shares sin's and cos's kernels, so this equals math.sin/math.cos bit for bit.
        var (sinTheta, cosTheta) = Math.SinCos(_theta);

        // Same grouping as Gymnasium (left to right), so every intermediate rounds identically.
        var temp = (force + (_poleMassLength * (_thetaDot * _thetaDot) * sinTheta)) / _totalMass;
        var thetaAcc = ((_gravity * sinTheta) - (cosTheta * temp))
            / (_halfLength * ((4.0 / 3.0) - (_poleMass * (cosTheta * cosTheta) / _totalMass)));
        var xAcc = temp - (_poleMassLength * thetaAcc * cosTheta / _totalMass);

        if (_semiImplicit)
        {
            _xDot += _tau * xAcc;
            _x += _tau * _xDot;
            _thetaDot += _tau * thetaAcc;
            _theta += _tau * _thetaDot;
        }
        else
        {
            _x += _tau * _xDot;
            _xDot += _tau * xAcc;
            _theta += _tau * _thetaDot;
            _thetaDot += _tau * thetaAcc;
        }

        var terminated = _x < -_xThreshold || _x > _xThreshold || _theta < -_thetaThreshold || _theta > _thetaThreshold;
        WriteObservation(observation);
        return new StepResult(1f, terminated, false);
    }

    void IPhysicalState.SetState(ReadOnlySpan<double> state, Span<float> observation)
    {
        StateBuffers.Require(state.Length, StateSize, observation.Length, ObservationSpace.FlatSize, this);
        (_x, _xDot, _theta, _thetaDot) = (state[0], state[1], state[2], state[3]);
        _hasState = true;
        WriteObservation(observation);
    }

    void IPhysicalState.GetState(Span<double> state)
    {
        StateBuffers.RequireState(state.Length, StateSize, this);
        state[0] = _x;
        state[1] = _xDot;
        state[2] = _theta;
        state[3] = _thetaDot;
    }

    private void WriteObservation(Span<float> observation)
    {
        observation[3] = (float)_thetaDot;
        observation[2] = (float)_theta;
        observation[1] = (float)_xDot;
        observation[0] = (float)_x;
    }

    private static BoxSpace<float> CreateObservationSpace(CartPoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Twice the termination thresholds, so the terminating observation still lies in the space.
        ReadOnlySpan<float> high = [(float)(options.XThreshold * 2), float.MaxValue, (float)(options.ThetaThresholdRadians * 2), float.MaxValue];
        ReadOnlySpan<float> low = [-high[0], -high[1], -high[2], -high[3]];
        return new BoxSpace<float>(low, high);
    }
}

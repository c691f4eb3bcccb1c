using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Classic;

/// <summary>Gymnasium's MountainCar-v0: drive an underpowered car out of a valley by rocking it (0 left, 1 coast, 2 right).</summary>
/// <remarks>
/// Moore (1990), with Gymnasium 0.29.1's update in float64: the velocity changes by (a − 1)·0.001 − 0.0025·cos 3x and
/// is clipped to ±0.07; the position is clipped to [−1.2, 0.6] and the velocity zeroed at the left wall. Reward −1
/// per step; the episode terminates when x ≥ 0.5 and the velocity reaches the goal velocity.
/// </remarks>
public sealed class MountainCar : Env<float, int>, IRenderable, IPhysicalState
{
    private const int StateSize = 2;
    private const double MinPosition = -1.2;
    private const double MaxPosition = 0.6;
    private const double MaxSpeed = 0.07;
    private const double GoalPosition = 0.5;
    private const double Force = 0.001;
    private const double Gravity = 0.0025;

    private readonly double _goalVelocity;
    private double _position;
    private double _velocity;
    private bool _hasState;

    /// <summary>Creates MountainCar-v0 with Gymnasium's settings.</summary>
    public MountainCar()
        : this(new MountainCarOptions())
    {
    }

    /// <summary>Creates the env with the given settings.</summary>
    public MountainCar(MountainCarOptions options)
        : base(CreateObservationSpace(options), new DiscreteSpace(3))
    {
        Options = options;
        _goalVelocity = options.GoalVelocity;
    }

    /// <summary>The settings this env was created with.</summary>
    public MountainCarOptions Options { get; }

    int IPhysicalState.StateLength => StateSize;

    /// <inheritdoc/>
    public int FrameWidth => MountainCarDrawing.Width;

    /// <inheritdoc/>
    public int FrameHeight => MountainCarDrawing.Height;

    /// <inheritdoc/>
    protected override void ResetCore(Span<float> observation)
    {
        _position = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _velocity = 0;
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        // Python's `velocity += a + b` adds the sum of the right-hand side, so the sum is formed first.
        var velocity = _velocity + (((action[0] - 1) * Force) + (Math.Cos(3 * _position) * -Gravity));
        velocity = Clip(velocity, -MaxSpeed, MaxSpeed);
        var position = Clip(_position + velocity, MinPosition, MaxPosition);
        if (position == MinPosition && velocity < 0)
        {
            velocity = 0;
        }

        (_position, _velocity) = (position, velocity);
        var terminated = position >= GoalPosition && velocity >= _goalVelocity;
        WriteObservation(observation);
        return new StepResult(-1f, terminated, false);
    }

    /// <inheritdoc/>
    public void Render(Span<byte> rgb)
    {
        RenderGuard.RequireState(_hasState, this);
        MountainCarDrawing.Draw(rgb, _position, GoalPosition, MinPosition, MaxPosition);
    }

    void IPhysicalState.SetState(ReadOnlySpan<double> state, Span<float> observation)
    {
        StateBuffers.Require(state.Length, StateSize, observation.Length, ObservationSpace.FlatSize, this);
        (_position, _velocity) = (state[0], state[1]);
        _hasState = true;
        WriteObservation(observation);
    }

    void IPhysicalState.GetState(Span<double> state)
    {
        StateBuffers.RequireState(state.Length, StateSize, this);
        state[0] = _position;
        state[1] = _velocity;
    }

    /// <summary>NumPy's <c>np.clip</c> on a scalar: <c>minimum(maximum(x, low), high)</c>.</summary>
    private static double Clip(double x, double low, double high) => Math.Min(Math.Max(x, low), high);

    private void WriteObservation(Span<float> observation)
    {
        observation[1] = (float)_velocity;
        observation[0] = (float)_position;
    }

    private static BoxSpace<float> CreateObservationSpace(MountainCarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BoxSpace<float>([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);
    }
}

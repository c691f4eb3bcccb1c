using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Classic;

/// <summary>Gymnasium's MountainCarContinuous-v0: the Mountain Car valley with a continuous engine force in [−1, 1].</summary>
/// <remarks>
/// Gymnasium 0.29.1's update: the action is clipped to [−1, 1] (out-of-range actions are accepted), the velocity
/// changes by force·0.0015 − 0.0025·cos 3x, and the state is stored as float32 after every step, so each step
/// starts from float32 values. Reward −0.1·a² per step, using the unclipped action, plus 100 on reaching the flag
/// (x ≥ 0.45 with the goal velocity).
/// </remarks>
public sealed class MountainCarContinuous : Env<float, float>, IRenderable, IPhysicalState
{
    private const int StateSize = 2;
    private const double MinAction = -1.0;
    private const double MaxAction = 1.0;
    private const double MinPosition = -1.2;
    private const double MaxPosition = 0.6;
    private const double MaxSpeed = 0.07;
    private const double GoalPosition = 0.45;
    private const double Power = 0.0015;

    private readonly double _goalVelocity;
    private double _position;
    private double _velocity;
    private bool _hasState;

    /// <summary>Creates MountainCarContinuous-v0 with Gymnasium's settings.</summary>
    public MountainCarContinuous()
        : this(new MountainCarContinuousOptions())
    {
    }

    /// <summary>Creates the env with the given settings.</summary>
    public MountainCarContinuous(MountainCarContinuousOptions options)
        : base(CreateObservationSpace(options), new BoxSpace<float>((float)MinAction, (float)MaxAction, 1))
    {
        Options = options;
        _goalVelocity = options.GoalVelocity;
    }

    /// <summary>The settings this env was created with.</summary>
    public MountainCarContinuousOptions Options { get; }

    int IPhysicalState.StateLength => StateSize;

    /// <inheritdoc/>
    public int FrameWidth => MountainCarDrawing.Width;

    /// <inheritdoc/>
    public int FrameHeight => MountainCarDrawing.Height;

    /// <inheritdoc/>
    protected override void ResetCore(Span<float> observation)
    {
        // Unlike later steps, the reset state stays float64 (np.array([uniform(...), 0])).
        _position = Random.NextUniform(Options.ResetLow, Options.ResetHigh);
        _velocity = 0;
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        double requested = action[0];

        // min(max(a, min_action), max_action) with Python's builtins.
        var lower = MinAction > requested ? MinAction : requested;
        var force = MaxAction < lower ? MaxAction : lower;

        var velocity = _velocity + ((force * Power) - (0.0025 * Math.Cos(3 * _position)));
        if (velocity > MaxSpeed)
        {
            velocity = MaxSpeed;
        }

        if (velocity < -MaxSpeed)
        {
            velocity = -MaxSpeed;
        }

        var position = _position + velocity;
        if (position > MaxPosition)
        {
            position = MaxPosition;
        }

        if (position < MinPosition)
        {
            position = MinPosition;
        }

        if (position == MinPosition && velocity < 0)
        {
            velocity = 0;
        }

        var terminated = position >= GoalPosition && velocity >= _goalVelocity;
        var reward = (terminated ? 100.0 : 0.0) - (requested * requested * 0.1);

        // Gymnasium keeps the state as np.array([position, velocity], dtype=np.float32).
        _position = (float)position;
        _velocity = (float)velocity;
        WriteObservation(observation);
        return new StepResult((float)reward, terminated, false);
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

    private void WriteObservation(Span<float> observation)
    {
        observation[1] = (float)_velocity;
        observation[0] = (float)_position;
    }

    private static BoxSpace<float> CreateObservationSpace(MountainCarContinuousOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BoxSpace<float>([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);
    }
}

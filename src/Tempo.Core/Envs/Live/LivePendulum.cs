using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Envs.Live;

/// <summary>LivePendulum-v1: Pendulum-v1's physics ticking on wall-clock time (default 20 Hz, one tick = dt = 0.05 s of world time).</summary>
/// <remarks>
/// Observations (cos θ, sin θ, θ̇), the torque action in [−2, 2] (clipped), reset distribution and reward (−cost
/// per tick, summed per Step) are Pendulum-v1's; the physics is <see cref="Pendulum"/>'s own code. "No input" (no
/// action within the hold time, or none since Reset) is zero torque. The world never ends an episode; a time limit
/// truncates it. See <see cref="LiveEnv{TObservation, TAction}"/> for the timing semantics.
/// </remarks>
public sealed class LivePendulum : LiveEnv<float, float>, IRenderable
{
    private readonly Pendulum _world;

    /// <summary>Creates LivePendulum-v1 with the default settings on the system clock.</summary>
    public LivePendulum()
        : this(new LivePendulumOptions())
    {
    }

    /// <summary>Creates the env with <paramref name="options"/> on <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).</summary>
    public LivePendulum(LivePendulumOptions options, TimeProvider? timeProvider = null)
        : this(Validated(options), new Pendulum(options.Physics), timeProvider)
    {
    }

    private LivePendulum(LivePendulumOptions options, Pendulum world, TimeProvider? timeProvider)
        : base(world.ObservationSpace, world.ActionSpace, options.Ticks, timeProvider)
    {
        Options = options;
        _world = world;
    }

    /// <summary>The settings this env was created with.</summary>
    public LivePendulumOptions Options { get; }

    /// <inheritdoc/>
    public int FrameWidth => _world.FrameWidth;

    /// <inheritdoc/>
    public int FrameHeight => _world.FrameHeight;

    /// <inheritdoc/>
    public void Render(Span<byte> rgb)
    {
        lock (WorldLock)
        {
            _world.Render(rgb);
        }
    }

    /// <inheritdoc/>
    protected override void ResetWorld(Span<float> observation, int? seed) => _world.Reset(observation, seed);

    /// <inheritdoc/>
    protected override StepResult TickWorld(ReadOnlySpan<float> action, Span<float> observation) =>
        _world.ApplyTorque(action.IsEmpty ? 0f : action[0], observation);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _world.Dispose();
        }
    }

    private static LivePendulumOptions Validated(LivePendulumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}

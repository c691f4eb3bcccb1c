using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Envs.Live;

/// <summary>LiveCartPole-v1: CartPole-v1's physics ticking on wall-clock time (default 50 Hz, one tick = tau = 0.02 s of world time).</summary>
/// <remarks>
/// Observations, actions (0 pushes left, 1 pushes right), reset distribution, termination and reward (+1 per tick,
/// the terminating tick included, summed per Step) are CartPole-v1's; the physics is <see cref="CartPole"/>'s own
/// code. CartPole's actions are only pushes, so "no input" (no action within the hold time, or none since Reset) is
/// a tick with zero force: the cart coasts and the pole falls on its own. See <see cref="LiveEnv{TObservation, TAction}"/> for the
/// timing semantics.
/// </remarks>
public sealed class LiveCartPole : LiveEnv<float, int>, IRenderable
{
    private readonly CartPole _world;
    private readonly double _forceMagnitude;

    /// <summary>Creates LiveCartPole-v1 with the default settings on the system clock.</summary>
    public LiveCartPole()
        : this(new LiveCartPoleOptions())
    {
    }

    /// <summary>Creates the env with <paramref name="options"/> on <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).</summary>
    public LiveCartPole(LiveCartPoleOptions options, TimeProvider? timeProvider = null)
        : this(Validated(options), new CartPole(options.Physics), timeProvider)
    {
    }

    private LiveCartPole(LiveCartPoleOptions options, CartPole world, TimeProvider? timeProvider)
        : base(world.ObservationSpace, world.ActionSpace, options.Ticks, timeProvider)
    {
        Options = options;
        _world = world;
        _forceMagnitude = options.Physics.ForceMagnitude;
    }

    /// <summary>The settings this env was created with.</summary>
    public LiveCartPoleOptions Options { get; }

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
    protected override StepResult TickWorld(ReadOnlySpan<int> action, Span<float> observation)
    {
        var force = action.IsEmpty ? 0.0 : action[0] == 1 ? _forceMagnitude : -_forceMagnitude;
        return _world.ApplyForce(force, observation);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _world.Dispose();
        }
    }

    private static LiveCartPoleOptions Validated(LiveCartPoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}

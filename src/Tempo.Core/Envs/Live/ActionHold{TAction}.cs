namespace Tempo.Core.Envs.Live;

/// <summary>Which input a live world gets at each tick: the newest action, held for a while when no new one arrives, then none.</summary>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <para>
/// <see cref="Submit"/> makes an action pending; the next <see cref="Take"/> (a world tick) applies it and holds it.
/// Later ticks apply the held action until <see cref="HoldTime"/> has passed since it was submitted; then the
/// world gets no input (an empty span) until the next submission. A key that stays pressed while the agent
/// thinks, and is released when the agent stops acting, behaves the same way.
/// </para>
/// <para>Timestamps are those of the <see cref="TimeProvider"/> given at creation. Not thread-safe: the owner calls it under its world lock.</para>
/// </remarks>
public sealed class ActionHold<TAction>
    where TAction : unmanaged
{
    private readonly TAction[] _pending;
    private readonly TAction[] _held;
    private readonly long _holdTimestamps;
    private bool _hasPending;
    private long _pendingSubmittedAt;
    private bool _hasHeld;
    private long _heldSubmittedAt;
    private long _noInputCount;

    /// <summary>Creates an empty hold for actions of <paramref name="actionSize"/> elements.</summary>
    /// <param name="actionSize">Elements per action (the action space's flat size).</param>
    /// <param name="holdTime">How long an action keeps being applied without a new one; <see cref="TimeSpan.MaxValue"/> holds forever.</param>
    /// <param name="timeProvider">The clock whose timestamps <see cref="Submit"/>, <see cref="Take"/> and <see cref="Postpone"/> receive.</param>
    public ActionHold(int actionSize, TimeSpan holdTime, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (holdTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(holdTime), holdTime, "The hold time must be positive (TimeSpan.MaxValue holds forever).");
        }

        HoldTime = holdTime;
        var timestamps = holdTime.TotalSeconds * timeProvider.TimestampFrequency;
        _holdTimestamps = timestamps >= long.MaxValue ? long.MaxValue : (long)Math.Round(timestamps);
        _pending = new TAction[actionSize];
        _held = new TAction[actionSize];
    }

    /// <summary>How long an action keeps being applied without a new one.</summary>
    public TimeSpan HoldTime { get; }

    /// <summary>Ticks that got no input (no action since <see cref="Clear"/>, or none within the hold time); readable from any thread.</summary>
    public long NoInputCount => Volatile.Read(ref _noInputCount);

    /// <summary>Makes <paramref name="action"/> the input of the next tick, replacing any action still pending.</summary>
    /// <param name="action">The action; <c>actionSize</c> elements.</param>
    /// <param name="timestamp">When it was submitted; its hold time runs from here.</param>
    public void Submit(ReadOnlySpan<TAction> action, long timestamp)
    {
        action.CopyTo(_pending);
        _hasPending = true;
        _pendingSubmittedAt = timestamp;
    }

    /// <summary>The input of a tick at <paramref name="now"/>: the pending action (which becomes the held one), else the held action within its hold time, else empty (no input).</summary>
    /// <remarks>The span stays valid until the next call.</remarks>
    public ReadOnlySpan<TAction> Take(long now)
    {
        if (_hasPending)
        {
            _pending.CopyTo(_held);
            _hasPending = false;
            _hasHeld = true;
            _heldSubmittedAt = _pendingSubmittedAt;
            return _held;
        }

        if (_hasHeld && now - _heldSubmittedAt < _holdTimestamps)
        {
            return _held;
        }

        _hasHeld = false;
        Volatile.Write(ref _noInputCount, _noInputCount + 1);
        return default;
    }

    /// <summary>Moves the submission times later by <paramref name="timestamps"/>, so that a pause does not use up the hold time.</summary>
    public void Postpone(long timestamps)
    {
        _pendingSubmittedAt += timestamps;
        _heldSubmittedAt += timestamps;
    }

    /// <summary>Forgets the pending and the held action (a new episode starts without input).</summary>
    public void Clear()
    {
        _hasPending = false;
        _hasHeld = false;
    }
}

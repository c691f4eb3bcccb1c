using Tempo.Core.Envs;
using Tempo.Core.Statistics;

namespace Tempo.Core.Wrappers;

/// <summary>Accumulates each episode's return and length and reports them on the step that ends the episode.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>RecordEpisodeStatistics</c>: the step that terminates or truncates an episode carries
/// <see cref="StepResult.Episode"/> (return, length, wall time since the episode's reset); the counters restart
/// on that step and on every reset; the last <see cref="RecentEpisodes"/> are kept (Gymnasium's
/// <c>return_queue</c>/<c>length_queue</c>, <c>deque_size</c> long). Returns are summed in float64
/// (Gymnasium sums in float32). Place it below reward wrappers to record the env's own rewards.
/// When an env in the wrapped stack exposes the player's position (<see cref="IPositionSource"/>), each episode also
/// carries the farthest x reached (<see cref="EpisodeStatistics.XReached"/>): progress in a platformer, which the
/// return mixes with bonuses and penalties.
/// </remarks>
public sealed class RecordEpisodeStatistics<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Gymnasium's default <c>deque_size</c>.</summary>
    public const int DefaultQueueSize = 100;

    private readonly TimeProvider _timeProvider;
    private readonly BoundedQueue<EpisodeStatistics> _recentEpisodes;
    private readonly IPositionSource? _positions;
    private double _episodeReturn;
    private float _xReached;
    private int _episodeLength;
    private long _episodeStartTimestamp;

    /// <summary>Wraps <paramref name="inner"/>, timing episodes with <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).</summary>
    /// <param name="inner">The env to record.</param>
    /// <param name="queueSize">How many recent episodes <see cref="RecentEpisodes"/> keeps.</param>
    /// <param name="timeProvider">The clock for episode wall time.</param>
    public RecordEpisodeStatistics(IEnv<TObservation, TAction> inner, int queueSize = DefaultQueueSize, TimeProvider? timeProvider = null)
        : base(inner)
    {
        if (queueSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(queueSize), queueSize, $"The episode queue size must be positive, got {queueSize}.");
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _recentEpisodes = new BoundedQueue<EpisodeStatistics>(queueSize);
        _positions = inner.TryFind<IPositionSource>(out var positions) ? positions : null;
        _episodeStartTimestamp = _timeProvider.GetTimestamp();
    }

    /// <summary>The number of episodes finished since the wrapper was created.</summary>
    public long EpisodeCount { get; private set; }

    /// <summary>The most recent finished episodes, oldest first, at most the queue size.</summary>
    public IReadOnlyList<EpisodeStatistics> RecentEpisodes => _recentEpisodes;

    /// <summary>The return accumulated so far in the current episode.</summary>
    public double CurrentEpisodeReturn => _episodeReturn;

    /// <summary>The number of steps taken so far in the current episode.</summary>
    public int CurrentEpisodeLength => _episodeLength;

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        StartEpisode();
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation) => Record(Inner.Step(action, observation));

    /// <inheritdoc/>
    public override bool CanSplitStep => InnerCanSplitStep;

    /// <inheritdoc/>
    public override void Submit(ReadOnlySpan<TAction> action) => InnerSplitStepping.Submit(action);

    /// <inheritdoc/>
    public override StepResult Wait(Span<TObservation> observation) => Record(InnerSplitStepping.Wait(observation));

    private StepResult Record(StepResult result)
    {
        _episodeReturn += result.Reward;
        _episodeLength++;
        if (_positions is { } positions)
        {
            _xReached = Math.Max(_xReached, positions.X);
        }

        if (!result.IsDone)
        {
            return result;
        }

        var wallTime = _timeProvider.GetElapsedTime(_episodeStartTimestamp).TotalSeconds;
        var episode = new EpisodeStatistics(_episodeReturn, _episodeLength, wallTime, _positions is null ? null : _xReached);
        _recentEpisodes.Add(episode);
        EpisodeCount++;

        // Gymnasium restarts the counters on the ending step too, which matters under autoreset.
        StartEpisode();
        return result with { Episode = episode };
    }

    private void StartEpisode()
    {
        _episodeReturn = 0;
        _episodeLength = 0;

        // After an autoreset inside the ending step the player stands at the new episode's start.
        _xReached = _positions?.X ?? 0;
        _episodeStartTimestamp = _timeProvider.GetTimestamp();
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Transport;

/// <summary>Decides on the learner side whether a segment is fresh enough to train on, and keeps policy-lag statistics.</summary>
/// <remarks>
/// Policy lag is the learner's version minus the segment's behaviour version. Segments with a lag above
/// <see cref="MaxPolicyLag"/> are too stale for the off-policy correction to be trusted (IMPALA's V-trace and APPO
/// bound it for the same reason) and are dropped. A negative lag means the segment was collected with weights this
/// learner never published (for example after it restarted from an older checkpoint); such segments are dropped too
/// and counted apart. Mean and maximum lag cover the last <see cref="Window"/> accepted segments: what the learner
/// actually trains on. Safe to use from several threads.
/// </remarks>
public sealed class PolicyLagFilter
{
    private readonly Lock _lock = new();
    private readonly long[] _recentLags;
    private int _next;
    private int _filled;
    private long _recentSum;
    private long _accepted;
    private long _droppedStale;
    private long _droppedAhead;

    /// <summary>Creates a filter that accepts lags from 0 to <paramref name="maxPolicyLag"/> and averages over the last <paramref name="window"/> accepted segments.</summary>
    public PolicyLagFilter(long maxPolicyLag, int window = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPolicyLag);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        MaxPolicyLag = maxPolicyLag;
        _recentLags = new long[window];
    }

    /// <summary>The largest lag accepted (0 accepts only segments from the learner's current version).</summary>
    public long MaxPolicyLag { get; }

    /// <summary>How many of the most recent accepted segments the lag mean and maximum cover.</summary>
    public int Window => _recentLags.Length;

    /// <summary>A consistent snapshot of the counters and the windowed lag statistics.</summary>
    public PolicyLagStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                var max = 0L;
                for (var i = 0; i < _filled; i++)
                {
                    max = Math.Max(max, _recentLags[i]);
                }

                var mean = _filled == 0 ? 0.0 : (double)_recentSum / _filled;
                return new PolicyLagStatistics(_accepted, _droppedStale, _droppedAhead, mean, max, _filled);
            }
        }
    }

    /// <summary>Records the lag of a segment collected by <paramref name="behaviourVersion"/> and returns whether the learner at <paramref name="learnerVersion"/> should train on it.</summary>
    public bool Accept(PolicyVersion learnerVersion, PolicyVersion behaviourVersion)
    {
        var lag = learnerVersion.LagOf(behaviourVersion);
        lock (_lock)
        {
            if (lag < 0)
            {
                _droppedAhead++;
                return false;
            }

            if (lag > MaxPolicyLag)
            {
                _droppedStale++;
                return false;
            }

            _accepted++;
            _recentSum += lag - _recentLags[_next];
            _recentLags[_next] = lag;
            _next = _next + 1 == _recentLags.Length ? 0 : _next + 1;
            _filled = Math.Min(_filled + 1, _recentLags.Length);
            return true;
        }
    }

    /// <summary>Records the lag of <paramref name="segment"/> and returns whether the learner at <paramref name="learnerVersion"/> should train on it.</summary>
    public bool Accept<TObservation, TAction>(Segment<TObservation, TAction> segment, PolicyVersion learnerVersion)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Accept(learnerVersion, segment.BehaviourVersion);
    }
}

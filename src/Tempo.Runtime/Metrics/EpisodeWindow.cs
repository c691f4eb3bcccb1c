using Tempo.Core.Envs;

namespace Tempo.Runtime.Metrics;

/// <summary>The most recent finished episodes (20 by default), for "mean return of the last 20 episodes".</summary>
/// <remarks>A fixed ring buffer: adding an episode allocates nothing. Means sum oldest to newest, so they do not depend on where the ring starts.</remarks>
public sealed class EpisodeWindow
{
    /// <summary>The window size of the measurement contract: the last 20 episodes.</summary>
    public const int DefaultCapacity = 20;

    private readonly double[] _returns;
    private readonly int[] _lengths;

    // NaN where the episode's env exposes no position.
    private readonly double[] _xReached;
    private int _next;

    /// <summary>Creates an empty window that keeps the last <paramref name="capacity"/> episodes.</summary>
    public EpisodeWindow(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _returns = new double[capacity];
        _lengths = new int[capacity];
        _xReached = new double[capacity];
    }

    /// <summary>How many episodes the window keeps.</summary>
    public int Capacity => _returns.Length;

    /// <summary>How many episodes the window holds now (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Whether the window holds <see cref="Capacity"/> episodes.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Episodes added since creation, including those that have left the window.</summary>
    public long TotalEpisodes { get; private set; }

    /// <summary>Mean return of the episodes in the window; null while it is empty.</summary>
    public double? ReturnMean => Count == 0 ? null : Sum(_returns) / Count;

    /// <summary>Mean length of the episodes in the window; null while it is empty.</summary>
    public double? LengthMean
    {
        get
        {
            if (Count == 0)
            {
                return null;
            }

            long total = 0;
            for (var i = 0; i < Count; i++)
            {
                total += _lengths[IndexOfOldest(i)];
            }

            return (double)total / Count;
        }
    }

    /// <summary>Mean farthest x reached over the episodes in the window that report one (<see cref="EpisodeStatistics.XReached"/>); null when none does.</summary>
    public double? XReachedMean
    {
        get
        {
            var sum = 0.0;
            var count = 0;
            for (var i = 0; i < Count; i++)
            {
                var x = _xReached[IndexOfOldest(i)];
                if (!double.IsNaN(x))
                {
                    sum += x;
                    count++;
                }
            }

            return count == 0 ? null : sum / count;
        }
    }

    /// <summary>Adds a finished episode, evicting the oldest one when the window is full.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The return is not finite or the length is negative.</exception>
    public void Add(EpisodeStatistics episode)
    {
        if (!double.IsFinite(episode.Return))
        {
            throw new ArgumentOutOfRangeException(nameof(episode), episode.Return, "Episode return must be finite.");
        }

        if (episode.Length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(episode), episode.Length, "Episode length must not be negative.");
        }

        _returns[_next] = episode.Return;
        _lengths[_next] = episode.Length;
        _xReached[_next] = episode.XReached ?? double.NaN;
        _next = _next + 1 == Capacity ? 0 : _next + 1;
        if (Count < Capacity)
        {
            Count++;
        }

        TotalEpisodes++;
    }

    private double Sum(double[] values)
    {
        var sum = 0.0;
        for (var i = 0; i < Count; i++)
        {
            sum += values[IndexOfOldest(i)];
        }

        return sum;
    }

    // The i-th episode counted from the oldest one still in the window.
    private int IndexOfOldest(int i)
    {
        var index = _next - Count + i;
        return index < 0 ? index + Capacity : index;
    }
}

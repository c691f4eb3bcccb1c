using Tempo.Redis.Status;

namespace Tempo.Dashboard.Fleet;

/// <summary>Turns each fleet read into a <see cref="FleetTiming"/> row and keeps them, thinning the oldest so a run of days stays in bounded memory.</summary>
/// <remarks>Called by the one fleet loop; endpoints read it under its lock.</remarks>
internal sealed class FleetTimingHistory(string run, int capacity = FleetTimingHistory.DefaultCapacity)
{
    /// <summary>An hour of reads at one a second before the first thinning; every thinning halves the resolution of what is kept.</summary>
    public const int DefaultCapacity = 3600;

    private readonly Lock _lock = new();
    private readonly List<double?[]> _rows = [];
    private readonly Dictionary<string, Counters> _lastCounters = new(StringComparer.Ordinal);
    private long _lateTicks;
    private long _droppedStale;
    private long _droppedQueueFull;

    /// <summary>Everything kept so far.</summary>
    public FleetTiming View()
    {
        lock (_lock)
        {
            return new FleetTiming(run, FleetTiming.ColumnNames, _rows.ToArray());
        }
    }

    /// <summary>Adds the row of one read of <paramref name="members"/> at <paramref name="readUtc"/> and returns it.</summary>
    public double?[] Add(IReadOnlyList<FleetMemberStatus> members, DateTimeOffset readUtc)
    {
        double? p50 = null, p99 = null, max = null, lagMax = null;
        double lagSum = 0;
        var alive = 0;
        foreach (var member in members)
        {
            // Counters of gone members stay counted; a member seen anew, or in a new incarnation, brings its whole count.
            var counters = new Counters(member.Incarnation, member.LateTicks, member.SegmentsDropped, member.SegmentsStale);
            var last = _lastCounters.TryGetValue(member.Member, out var seen) && seen.Incarnation == counters.Incarnation ? seen : default;
            _lateTicks += Math.Max(0, counters.LateTicks - last.LateTicks);
            _droppedQueueFull += Math.Max(0, counters.Dropped - last.Dropped);
            _droppedStale += Math.Max(0, counters.Stale - last.Stale);
            _lastCounters[member.Member] = counters;
            if (!member.Alive || member.Role != FleetRole.Actor)
            {
                continue;
            }

            alive++;
            lagSum += member.PolicyLag;
            lagMax = Math.Max(lagMax ?? 0, member.PolicyLag);
            p50 = Worst(p50, member.GapP50Ms);
            p99 = Worst(p99, member.GapP99Ms);
            max = Worst(max, member.GapMaxMs);
        }

        double?[] row =
        [
            readUtc.ToUnixTimeMilliseconds() / 1000.0, alive, p50, p99, max, _lateTicks,
            alive > 0 ? lagSum / alive : null, lagMax, _droppedStale, _droppedQueueFull,
        ];
        lock (_lock)
        {
            if (_rows.Count >= capacity)
            {
                // Keep every second row: the whole run stays on the chart at half the resolution.
                var kept = 0;
                for (var i = 0; i < _rows.Count; i += 2)
                {
                    _rows[kept++] = _rows[i];
                }

                _rows.RemoveRange(kept, _rows.Count - kept);
            }

            _rows.Add(row);
        }

        return row;
    }

    private static double? Worst(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private readonly record struct Counters(long Incarnation, long LateTicks, long Dropped, long Stale);
}

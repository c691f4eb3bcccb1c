using Tempo.Redis.Status;

namespace Tempo.Redis.Tests;

/// <summary>What the real-process fleet tests share: the command lines, reading members' status, and waiting with the processes' output on failure.</summary>
internal static class FleetProcesses
{
    /// <summary>The test collection of every class that runs <c>tempo</c> processes: its tests run one at a time, so that a test's processes share the two cores with other engineers' work, not with a dozen other test processes (the action-gap and rate assertions are about the fleet, not about the test run's own load).</summary>
    public const string Collection = "tempo processes";

    /// <summary>The start of a fleet command line: <c>{command} --redis URL --run NAME</c>.</summary>
    public static string[] Fleet(RedisServer server, string run, string command) => [command, "--redis", server.UrlText, "--run", run];

    public static FleetMemberStatus? Learner(RedisFleet fleet) => Member(fleet, "learner");

    /// <summary>A member's last status, or null while it has not reported (or Redis is away).</summary>
    public static FleetMemberStatus? Member(RedisFleet fleet, string member)
    {
        try
        {
            return fleet.ReadStatus().Members.FirstOrDefault(m => m.Member == member);
        }
        catch (Exception error) when (error is StackExchange.Redis.RedisException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for <paramref name="condition"/>; fails with every process's output if it is not reached or one of them exits.</summary>
    public static void Require(Func<bool> condition, double seconds, string what, params TempoProcess[] processes)
    {
        if (!FleetFixture.WaitUntil(() => condition() || processes.Any(p => p.HasExited), seconds) || !condition())
        {
            Assert.Fail($"not reached within {seconds} s: {what}\n" + string.Join("\n---\n", processes.Select(p => p.Output)));
        }
    }
}

/// <summary>Every report of one actor from a starting one on, for assertions on its action gaps over a stretch of a run.</summary>
/// <remarks>
/// Each report carries the gaps of its own window (about a heartbeat, 1 s: ~50 gaps per env at 50 Hz), and a window
/// Redis did not take is folded into the next report, so polling faster than the heartbeat (as <see cref="FleetProcesses.Require"/>
/// does, every 10 ms) sees every window once.
/// </remarks>
internal sealed class ActorReports(RedisFleet fleet, string member, FleetMemberStatus start)
{
    private readonly List<double> _medians = [];

    public FleetMemberStatus Start { get; } = start;

    public FleetMemberStatus Last { get; private set; } = start;

    /// <summary>The worst action gap of any window since <see cref="Start"/>, or null before the first report after it.</summary>
    public double? WorstGapMs { get; private set; }

    /// <summary>The median of the windows' median gaps since <see cref="Start"/> (one busy window cannot move it), or null before the first report.</summary>
    public double? MedianOfMedianGapsMs => _medians.Count == 0 ? null : Median(_medians);

    /// <summary>Steps per second between <see cref="Start"/> and <see cref="Last"/>, on the reports' own time stamps.</summary>
    public double StepsPerSecond => (Last.Steps - Start.Steps) / ((Last.LastSeenUnixMs - Start.LastSeenUnixMs) / 1000.0);

    /// <summary>Reads the member's status and takes a new report in; returns the last report (null while Redis is away).</summary>
    public FleetMemberStatus? Poll()
    {
        var now = FleetProcesses.Member(fleet, member);
        if (now is not null && now.LastSeenUnixMs > Last.LastSeenUnixMs)
        {
            Last = now;
            WorstGapMs = Math.Max(WorstGapMs ?? 0, now.GapMaxMs ?? 0);
            if (now.GapP50Ms is { } median)
            {
                _medians.Add(median);
            }
        }

        return now;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>A temporary folder deleted at the end.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tempo-fleet-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

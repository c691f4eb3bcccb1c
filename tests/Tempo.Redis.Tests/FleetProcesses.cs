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

/// <summary>A temporary folder deleted at the end.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tempo-fleet-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

using System.Diagnostics;
using Tempo.Games.Supervision;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.Supervision;

public sealed class OwnSessionTests
{
    // The watcher polls once a second; a loaded 2-core machine may take several more seconds to schedule its shell and
    // the kill. A child still running after this long was not going to be stopped.
    private static readonly TimeSpan _killDeadline = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public void A_child_is_killed_once_its_owner_dies_without_cleaning_up()
    {
        ExternalTool.Require("sleep", "coreutils");
        using var owner = Sleeper();
        using var child = Sleeper();
        OwnSession.Watch(owner.Id, child.Id);

        // While the owner lives, the watcher leaves the child alone (two of its polls).
        Assert.False(child.WaitForExit(2_500), "the watcher killed a child whose owner is alive");

        owner.Kill(); // SIGKILL: the owner runs no cleanup, as after kill -9
        owner.WaitForExit();
        Assert.True(child.WaitForExit(_killDeadline), $"the child still runs {_killDeadline.TotalSeconds} s after its owner died");
    }

    [SkippableFact]
    public void The_watcher_ends_with_the_child_and_never_signals_its_pid_afterwards()
    {
        ExternalTool.Require("sleep", "coreutils");
        using var owner = Sleeper();
        using var child = Sleeper();
        OwnSession.Watch(owner.Id, child.Id);
        Thread.Sleep(200);
        var watchers = WatchersOf(child.Id);
        Assert.NotEmpty(watchers);

        child.Kill();
        child.WaitForExit();
        var deadline = Stopwatch.GetTimestamp() + (long)(_killDeadline.TotalSeconds * Stopwatch.Frequency);
        while (WatchersOf(child.Id).Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.Empty(WatchersOf(child.Id));
        owner.Kill();
    }

    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;

    // Watchers are shells whose command line names the child's pid; a zombie's cmdline is empty, so it doesn't count.
    private static List<int> WatchersOf(int child)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("kill -0", StringComparison.Ordinal) && cmdline.Contains($"kill -9 {child} ", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}

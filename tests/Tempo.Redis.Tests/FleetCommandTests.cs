namespace Tempo.Redis.Tests;

/// <summary>The fleet commands' refusals: one line naming the problem, exit code 2, never a stack trace.</summary>
[Collection(FleetProcesses.Collection)]
public sealed class FleetCommandTests
{
    [SkippableFact]
    public void AnActorWithoutAPublishedRunSaysWhatToStartFirst()
    {
        using var server = RedisServer.Start();
        using var actor = new TempoProcess("actor", "--redis", server.UrlText, "--run", "nobody", "--wait", "0");
        Assert.Equal(2, actor.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: No learner has published run nobody", actor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", actor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadRedisUrlIsOneLine()
    {
        using var status = new TempoProcess("status", "--redis", "http://host", "--run", "x");
        Assert.Equal(2, status.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: --redis must look like redis://", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ALearnerOnTheSyncScheduleIsRefused()
    {
        using var server = RedisServer.Start();
        using var learner = new TempoProcess("learner", "--redis", server.UrlText, "--run", "sync", "--env", "CartPole-v1", "--algo", "ppo", "--schedule", "sync");
        Assert.Equal(2, learner.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: ", learner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", learner.Output, StringComparison.Ordinal);
    }
}

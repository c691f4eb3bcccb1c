using Tempo.Redis.Tests;

namespace Tempo.Dashboard.Tests;

/// <summary>A fleet of real processes on LiveCartPole-v1 (50 Hz): a redis-server of the test's own, a learner writing a run folder, and actors; all stopped by pid.</summary>
/// <remarks>The same small run as the Redis fault tests: segments of 16 steps of 2 envs, a report per update.</remarks>
internal sealed class FleetFixture : IDisposable
{
    private static readonly string[] _runFlags = ["--env", "LiveCartPole-v1", "--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--total-timesteps", "10000000", "--plain"];
    private readonly List<TempoProcess> _processes = [];

    public FleetFixture(string run, int actors)
    {
        Redis = RedisServer.Start();
        Run = run;
        RunDirectory = Path.Combine(Directory.CreateTempSubdirectory("tempo-dash-fleet-").FullName, run);
        Learner = Start(["learner", "--redis", Redis.UrlText, "--run", run, .. _runFlags, "--run-dir", RunDirectory]);
        for (var i = 0; i < actors; i++)
        {
            Start(["actor", "--redis", Redis.UrlText, "--run", run, "--actor-id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }

    public RedisServer Redis { get; }

    public string Run { get; }

    public string RunDirectory { get; }

    public TempoProcess Learner { get; }

    /// <summary>Actor <paramref name="i"/>'s process.</summary>
    public TempoProcess Actor(int i) => _processes[i + 1];

    /// <summary>Everything the processes printed, for failure messages.</summary>
    public string Output => string.Join("\n---\n", _processes.Select(p => p.Output));

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Redis.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(RunDirectory)!, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }

    private TempoProcess Start(string[] arguments)
    {
        var process = new TempoProcess(arguments);
        _processes.Add(process);
        return process;
    }
}

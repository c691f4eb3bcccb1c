namespace Tempo.Cli.Tests.Commands;

/// <summary><c>tempo scan</c> on bad input: one error line naming the value, exit code 2 (the scan itself is tested on SuperTux in Tempo.Games.Tests).</summary>
public sealed class ScanCommandTests
{
    private static readonly string _script = Path.Combine(AppContext.BaseDirectory, "supertux.scan.json");

    [Fact]
    public void A_pid_with_no_process_is_one_error_line()
    {
        var run = CliRun.Of("scan", "--pid", "999999999", "--script", _script);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: no process with pid 999999999", run.Error.Trim());
    }

    [Fact]
    public void A_script_that_is_not_there_is_named()
    {
        var run = CliRun.Of("scan", "--pid", "1", "--script", "/nonexistent/scan.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/scan.json", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public void A_script_expecting_an_unknown_change_names_it()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "bad.json");
        File.WriteAllText(path, """{"targets": [{"name": "x", "type": "float32"}], "steps": [{"keys": ["Right"], "expect": {"x": "bigger"}}]}""");
        var run = CliRun.Of("scan", "--pid", "1", "--script", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'bigger'", run.Error);
    }
}

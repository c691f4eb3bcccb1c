using Tempo.Games.Scanning;

namespace Tempo.Games.Tests.Scanning;

public sealed class ScanScriptTests
{
    private const string Targets = "\"targets\": [{ \"name\": \"x\", \"type\": \"float32\" }]";

    [Fact]
    public void A_verify_step_may_hold_until_a_target_reads_past_a_bound()
    {
        var script = ScanScript.Parse(
            "{ " + Targets + ", \"steps\": [{ \"keys\": [\"Right\"], \"hold\": 1 }], \"verify\": [{ \"keys\": [\"Right\"], \"hold\": 9, \"until\": { \"target\": \"x\", \"at_least\": 1740 } }] }",
            "test");

        Assert.Null(script.Steps[0].Until);
        Assert.Equal(new ScanUntil("x", 1740, null), script.Verify[0].Until);
        Assert.False(script.Verify[0].Until!.IsMet(1739));
        Assert.True(script.Verify[0].Until!.IsMet(1740));
    }

    [Theory]
    [InlineData("\"steps\": [{ \"until\": { \"target\": \"x\", \"at_least\": 1 } }]", "only in \"verify\"")]
    [InlineData("\"steps\": [{}], \"verify\": [{ \"until\": { \"target\": \"y\", \"at_least\": 1 } }]", "got 'y'")]
    [InlineData("\"steps\": [{}], \"verify\": [{ \"until\": { \"target\": \"x\" } }]", "\"at_least\" or \"at_most\"")]
    public void A_misplaced_or_incomplete_until_is_refused_naming_the_step(string steps, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ScanScript.Parse("{ " + Targets + ", " + steps + " }", "test"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_game_tick_is_read_in_seconds_and_a_bad_one_is_refused()
    {
        var script = ScanScript.Parse("{ \"tick\": 0.015625, " + Targets + ", \"steps\": [{}] }", "test");
        Assert.Equal(TimeSpan.FromSeconds(1.0 / 64), script.Tick);

        var error = Assert.Throws<ArgumentException>(() => ScanScript.Parse("{ \"tick\": 0, " + Targets + ", \"steps\": [{}] }", "test"));
        Assert.Contains("\"tick\"", error.Message, StringComparison.Ordinal);
    }
}

using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class ConsoleProgressSinkTests : IDisposable
{
    private const string LiveLine =
        "step 187700 | sps 6993 | episodes 1234 | return 475.25 | gap p50/p99/max 50.1/52.7/81.5 ms | late ticks 3 | lag 1.40/4 | dropped 5 stale/6 full | upd/s 12.5 | 29.6 s";
    private const string SimulatorLine = "step 2048 | sps 4096 | episodes 0 | 0.5 s";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();

    public void Dispose() => _output.Dispose();

    private static TrainingReport Live() => SampleReports.Full() with
    {
        StepsPerSecond = 6993.4,
        ActionGapP99Milliseconds = 52.74,
        WallTimeSeconds = 29.64,
    };

    private static TrainingReport AtStep(long step) => SampleReports.Simulator() with { GlobalStep = step };

    private static int CountOccurrences(string text, string part)
    {
        var count = 0;
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void Write_PlainLines_WritesOneLinePerReport()
    {
        using (var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock))
        {
            sink.Write(Live());
            sink.Write(SampleReports.Simulator());
            sink.Write(SampleReports.Simulator());
        }

        Assert.Equal($"{LiveLine}\n{SimulatorLine}\n{SimulatorLine}\n", _output.ToString());
    }

    [Fact]
    public void Write_InPlaceWithTheTotal_DrawsABarTheStepsOutOfTheTotalAndTheTimeLeft()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock, TimeSpan.Zero, totalSteps: 10_000);
        sink.Write(SampleReports.Simulator() with { GlobalStep = 1_000, WallTimeSeconds = 1 });
        _output.GetStringBuilder().Clear();

        // 2,000 steps in the 2 s since the first report: 1,000 steps/s, so the 7,000 left take 7 s.
        sink.Write(SampleReports.Simulator() with { GlobalStep = 3_000, WallTimeSeconds = 3, EpisodicReturnMean = 21.5 });

        Assert.Equal("\r[######--------------] 30% 3000/10000 | sps 4096 | episodes 0 | return 21.50 | 3.0 s | ETA 0:00:07", _output.ToString());
    }

    [Fact]
    public void Write_PlainLinesWithTheTotal_StayAsWithout()
    {
        using (var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock, totalSteps: 10_000))
        {
            sink.Write(SampleReports.Simulator());
        }

        Assert.Equal($"{SimulatorLine}\n", _output.ToString());
    }

    [Fact]
    public void Write_SimulatorReport_LeavesOutReturnGapAndLag()
    {
        using var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock);
        sink.Write(SampleReports.Simulator() with { EpisodicReturnMean = 21.5 });

        Assert.Equal("step 2048 | sps 4096 | episodes 0 | return 21.50 | 0.5 s\n", _output.ToString());
    }

    [Fact]
    public void Write_InPlace_DrawsWithCarriageReturnAndNoLineBreak()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock);
        sink.Write(Live());

        Assert.Equal("\r" + LiveLine, _output.ToString());
        Assert.True(sink.RedrawsInPlace);
    }

    [Fact]
    public void Write_InPlaceFasterThanTheInterval_HoldsReportsBackUntilItPasses()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock, TimeSpan.FromMilliseconds(250));
        sink.Write(AtStep(1));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        sink.Write(AtStep(2));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        sink.Write(AtStep(3));
        Assert.Equal("\rstep 1 | sps 4096 | episodes 0 | 0.5 s", _output.ToString());

        _clock.Advance(TimeSpan.FromMilliseconds(50));
        sink.Write(AtStep(4));

        Assert.Equal("\rstep 1 | sps 4096 | episodes 0 | 0.5 s\rstep 4 | sps 4096 | episodes 0 | 0.5 s", _output.ToString());
    }

    [Fact]
    public void Write_InPlaceForOneSecondAt100Hz_RedrawsAtMostFiveTimes()
    {
        using var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock);
        for (var i = 0; i < 100; i++)
        {
            sink.Write(AtStep(i));
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // At 0, 250, 500, 750 and 1000 ms at the very most; 4 Hz.
        var redraws = CountOccurrences(_output.ToString(), "\r");
        Assert.InRange(redraws, 4, 5);
    }

    [Fact]
    public void Dispose_InPlace_ShowsTheHeldBackReportAndEndsTheLine()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock);
        sink.Write(AtStep(1));
        sink.Write(AtStep(2));
        sink.Dispose();

        Assert.Equal("\rstep 1 | sps 4096 | episodes 0 | 0.5 s\rstep 2 | sps 4096 | episodes 0 | 0.5 s\n", _output.ToString());
    }

    [Fact]
    public void Dispose_InPlaceWithNothingWritten_WritesNothing()
    {
        new ConsoleProgressSink(_output, redrawInPlace: true, _clock).Dispose();

        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public void Write_InPlaceShorterThanPreviousLine_BlanksTheRest()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock, TimeSpan.Zero);
        sink.Write(AtStep(123456));
        sink.Write(AtStep(7));

        Assert.Equal(
            "\rstep 123456 | sps 4096 | episodes 0 | 0.5 s\rstep 7 | sps 4096 | episodes 0 | 0.5 s     ",
            _output.ToString());
    }

    [Fact]
    public void WriteLine_InPlace_PrintsTheMessageOnItsOwnLineAndRedrawsProgressBelow()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: true, _clock);
        sink.Write(AtStep(7));
        sink.WriteLine("solved: step=7 wall_s=0.50");
        sink.Dispose();

        var progress = "step 7 | sps 4096 | episodes 0 | 0.5 s";
        var blank = new string(' ', progress.Length);
        Assert.Equal($"\r{progress}\r{blank}\rsolved: step=7 wall_s=0.50\n\r{progress}\n", _output.ToString());
    }

    [Fact]
    public void WriteLine_PlainLines_WritesTheMessageAsALine()
    {
        using var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock);
        sink.Write(AtStep(7));
        sink.WriteLine("solved: step=7 wall_s=0.50");

        Assert.Equal("step 7 | sps 4096 | episodes 0 | 0.5 s\nsolved: step=7 wall_s=0.50\n", _output.ToString());
    }

    [Fact]
    public void A_new_game_fault_is_printed_once_on_its_own_line_before_the_progress()
    {
        using var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock);
        var report = AtStep(7);
        report.LastGameFault = "SuperTux crash 1: the game exited with code 139";
        sink.Write(report);
        sink.Write(report);
        report.LastGameFault = "SuperTux crash 2: the game exited with code 139";
        sink.Write(report);

        var progress = "step 7 | sps 4096 | episodes 0 | 0.5 s\n";
        Assert.Equal(
            $"game fault: SuperTux crash 1: the game exited with code 139\n{progress}{progress}game fault: SuperTux crash 2: the game exited with code 139\n{progress}",
            _output.ToString());
    }

    [Fact]
    public void Dispose_LeavesTheWriterOpen()
    {
        new ConsoleProgressSink(_output, redrawInPlace: true, _clock).Dispose();

        _output.Write("still open");
        Assert.Equal("still open", _output.ToString());
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var sink = new ConsoleProgressSink(_output, redrawInPlace: false, _clock);
        sink.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sink.Write(AtStep(1)));
        Assert.Throws<ObjectDisposedException>(() => sink.WriteLine("x"));
    }

    [Fact]
    public void Constructor_NegativeInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleProgressSink(_output, true, _clock, TimeSpan.FromSeconds(-1)));
    }
}

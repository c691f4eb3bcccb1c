using Tempo.Core.Timing;

namespace Tempo.Core.Tests.Timing;

public sealed class DurationRecorderTests
{
    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Summarize_NothingRecorded_IsAllZero()
    {
        var recorder = new DurationRecorder(4);

        recorder.Summarize(out var window, out var run);

        Assert.Equal(default, window);
        Assert.Equal(default, run);
    }

    [Fact]
    public void Summarize_Window_HasExactInterpolatedPercentiles()
    {
        var recorder = new DurationRecorder(5);
        foreach (var gap in new[] { 30.0, 10, 50, 20, 40 })
        {
            recorder.Record(Ms(gap));
        }

        recorder.Summarize(out var window, out _);

        // Sorted 10..50: p50 at position 2 → 30; p99 at position 3.96 → 40 + 0.96·10 (NumPy's linear percentile).
        Assert.Equal(new DurationSummary(5, Ms(30), Ms(30), Ms(49.6), Ms(50)), window);
    }

    [Fact]
    public void Record_WindowFull_DropsTheOldest()
    {
        var recorder = new DurationRecorder(5);
        foreach (var gap in new[] { 10.0, 20, 30, 40, 50, 60 })
        {
            recorder.Record(Ms(gap));
        }

        recorder.Summarize(out var window, out var run);

        Assert.Equal(new DurationSummary(5, Ms(40), Ms(40), Ms(59.6), Ms(60)), window);
        Assert.Equal(6, run.Count);
        Assert.Equal(Ms(35), run.Mean);
        Assert.Equal(Ms(60), run.Max);
    }

    [Fact]
    public void Summarize_Run_PercentilesWithinHistogramResolution()
    {
        var recorder = new DurationRecorder(16);
        for (var ms = 1; ms <= 1000; ms++)
        {
            recorder.Record(Ms(ms));
        }

        recorder.Summarize(out var window, out var run);

        Assert.Equal(1000, run.Count);
        Assert.Equal(Ms(500.5), run.Mean);
        Assert.Equal(Ms(1000), run.Max);

        // Nearest rank: the 500th and 990th values; a bucket's midpoint is within 1/128 of any value in it.
        Assert.InRange(run.P50.TotalMilliseconds, 500 * (1 - (1 / 128.0)), 500 * (1 + (1 / 128.0)));
        Assert.InRange(run.P99.TotalMilliseconds, 990 * (1 - (1 / 128.0)), 990 * (1 + (1 / 128.0)));

        // The window saw only the last 16 values: 985..1000.
        Assert.Equal(16, window.Count);
        Assert.Equal(Ms(992.5), window.P50);
    }

    [Fact]
    public void ResetWindow_KeepsTheRun()
    {
        var recorder = new DurationRecorder(8);
        recorder.Record(Ms(10));
        recorder.Record(Ms(20));

        recorder.ResetWindow();
        recorder.Summarize(out var emptyWindow, out var run);
        recorder.Record(Ms(5));
        recorder.Summarize(out var window, out var runAfter);

        Assert.Equal(default, emptyWindow);
        Assert.Equal(2, run.Count);
        Assert.Equal(new DurationSummary(1, Ms(5), Ms(5), Ms(5), Ms(5)), window);
        Assert.Equal(3, runAfter.Count);
        Assert.Equal(Ms(20), runAfter.Max);
    }

    [Fact]
    public void Clear_ForgetsWindowAndRun()
    {
        var recorder = new DurationRecorder(8);
        recorder.Record(Ms(10));

        recorder.Clear();
        recorder.Summarize(out var window, out var run);

        Assert.Equal(default, window);
        Assert.Equal(default, run);
        Assert.Equal(0, recorder.Count);
    }

    [Fact]
    public void Record_Zero_IsAllowed()
    {
        var recorder = new DurationRecorder(2);

        recorder.Record(TimeSpan.Zero);
        recorder.Summarize(out var window, out var run);

        Assert.Equal(new DurationSummary(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), window);
        Assert.Equal(window, run);
    }

    [Fact]
    public void Record_Negative_Throws()
    {
        var recorder = new DurationRecorder(2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Record(Ms(-1)));

        Assert.Equal("duration", error.ParamName);
    }

    [Fact]
    public void Constructor_NonPositiveWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DurationRecorder(0));
    }

    [Fact]
    public async Task Record_FromAnotherThreadWhileSummarizing_CountsEveryDuration()
    {
        var recorder = new DurationRecorder(64);
        using var done = new ManualResetEventSlim();
        var reader = Task.Run(() =>
        {
            while (!done.IsSet)
            {
                recorder.Summarize(out var window, out var run);
                Assert.True(window.Count <= 64);
                Assert.True(run.Max <= Ms(10_000));
            }
        });

        for (var i = 0; i < 10_000; i++)
        {
            recorder.Record(Ms(i % 100));
        }

        done.Set();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(10_000, recorder.Count);
    }
}

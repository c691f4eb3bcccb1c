using System.Globalization;
using Tempo.Algorithms.Learners;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class CsvMetricsSinkTests : IDisposable
{
    // Spelled out rather than taken from the sink, so a reordered or renamed column fails here.
    private const string FixedHeader =
        "global_step,wall_time_s,episodes,episodic_return_mean,sps," +
        "action_gap_p50_ms,action_gap_p99_ms,action_gap_max_ms,policy_lag_mean," +
        "policy_lag_max,deadline_overruns,segments_dropped_stale,segments_dropped_queue_full,learner_updates_per_s," +
        "policy_version,gradient_steps,episodic_length_mean,episodic_x_reached_mean,game_crashes,game_hangs";

    // The header of a run whose reports carry an actor-critic learner's statistics (SampleReports.Full).
    private const string ExpectedHeader =
        FixedHeader + ",learning_rate,policy_loss,value_loss,entropy,approx_kl,clipfrac,explained_variance,grad_norm";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string MetricsPath => _directory.File("metrics.csv");

    // Reads while the sink may still hold the file open for writing.
    private string[] ReadLines()
    {
        using var stream = new FileStream(MetricsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        return text[..^1].Split('\n');
    }

    private static Dictionary<string, string> Cells(string header, string row)
    {
        var names = header.Split(',');
        var values = row.Split(',');
        Assert.Equal(names.Length, values.Length);
        return names.Zip(values).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    [Fact]
    public void Write_FirstReport_WritesTheDocumentedHeader()
    {
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            sink.Write(SampleReports.Full());
        }

        Assert.Equal(ExpectedHeader, ReadLines()[0]);
        Assert.Equal(ExpectedHeader, CsvMetricsSink.HeaderFor(ActorCriticStatistics.Names));
        Assert.Equal(FixedHeader, CsvMetricsSink.FixedHeader);
        Assert.Equal(FixedHeader.Split(','), CsvMetricsSink.FixedColumnNames);
    }

    [Fact]
    public void Open_CreateNew_LeavesTheHeaderToTheFirstReport()
    {
        // The learner's statistics decide the last columns, so nothing is written before the first report.
        using (CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
        }

        Assert.Equal(0, new FileInfo(MetricsPath).Length);
    }

    [Fact]
    public void Write_StatisticsOfAnotherLearner_AddAColumnPerName()
    {
        // A replay learner (DQN-like) brings its own statistics; the sink needs no change to show them.
        var dqn = SampleReports.Statistics(12, 0, ("losses/td_loss", 0.5), ("losses/q_values", 21.25), ("charts/epsilon", 0.05));
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            sink.Write(SampleReports.Simulator() with { Learner = dqn });
        }

        var lines = ReadLines();
        Assert.Equal(FixedHeader + ",td_loss,q_values,epsilon", lines[0]);
        var cells = Cells(lines[0], lines[1]);
        Assert.Equal("0.5", cells["td_loss"]);
        Assert.Equal("21.25", cells["q_values"]);
        Assert.Equal("0.05", cells["epsilon"]);
        Assert.Equal("12", cells["policy_version"]);
        Assert.Equal("0", cells["gradient_steps"]);
    }

    [Fact]
    public void Write_TwoStatisticsWithTheSameColumnName_ThrowsNamingThem()
    {
        var clash = SampleReports.Statistics(1, 1, ("losses/alpha", 0.1), ("charts/alpha", 0.2));
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);

        var error = Assert.Throws<ArgumentException>(() => sink.Write(SampleReports.Simulator() with { Learner = clash }));

        Assert.Contains("'charts/alpha'", error.Message);
        Assert.Contains("'alpha'", error.Message);
    }

    [Fact]
    public void Write_StatisticNamedAsAFixedColumn_Throws()
    {
        var clash = SampleReports.Statistics(1, 1, ("learner/policy_version", 3));
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);

        var error = Assert.Throws<ArgumentException>(() => sink.Write(SampleReports.Simulator() with { Learner = clash }));

        Assert.Contains("'policy_version'", error.Message);
    }

    [Fact]
    public void Write_LaterReportWithOtherStatistics_ThrowsNamingBoth()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Full());

        var error = Assert.Throws<ArgumentException>(() => sink.Write(SampleReports.Simulator() with { Learner = SampleReports.Statistics(1, 1, ("losses/td_loss", 1)) }));

        Assert.Contains("losses/td_loss", error.Message);
        Assert.Contains("grad_norm", error.Message);
        Assert.Equal(2, ReadLines().Length);
    }

    [Fact]
    public void Header_StartsWithTheMeasurementContractColumnsInOrder()
    {
        string[] contract =
        [
            "global_step", "wall_time_s", "episodes", "episodic_return_mean", "sps",
            "action_gap_p50_ms", "action_gap_p99_ms", "action_gap_max_ms", "policy_lag_mean",
        ];
        Assert.Equal(contract, CsvMetricsSink.FixedColumnNames.Take(contract.Length));
    }

    [Fact]
    public void Write_FullReport_WritesEveryFieldInItsColumn()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Full());

        var lines = ReadLines();
        Assert.Equal(2, lines.Length);
        var cells = Cells(lines[0], lines[1]);
        Assert.Equal("187700", cells["global_step"]);
        Assert.Equal("29.6125", cells["wall_time_s"]);
        Assert.Equal("1234", cells["episodes"]);
        Assert.Equal("475.25", cells["episodic_return_mean"]);
        Assert.Equal("6993.5", cells["sps"]);
        Assert.Equal("50.125", cells["action_gap_p50_ms"]);
        Assert.Equal("52.75", cells["action_gap_p99_ms"]);
        Assert.Equal("81.5", cells["action_gap_max_ms"]);
        Assert.Equal("1.4", cells["policy_lag_mean"]);
        Assert.Equal("4", cells["policy_lag_max"]);
        Assert.Equal("3", cells["deadline_overruns"]);
        Assert.Equal("5", cells["segments_dropped_stale"]);
        Assert.Equal("6", cells["segments_dropped_queue_full"]);
        Assert.Equal("12.5", cells["learner_updates_per_s"]);
        Assert.Equal("0.00025", cells["learning_rate"]);
        Assert.Equal("-0.0123", cells["policy_loss"]);
        Assert.Equal("17.75", cells["value_loss"]);
        Assert.Equal("0.5625", cells["entropy"]);
        Assert.Equal("0.0071", cells["approx_kl"]);
        Assert.Equal("0.09375", cells["clipfrac"]);
        Assert.Equal("0.875", cells["explained_variance"]);
        Assert.Equal("0.3125", cells["grad_norm"]);
        Assert.Equal("91", cells["policy_version"]);
        Assert.Equal("8", cells["gradient_steps"]);
        Assert.Equal("475.25", cells["episodic_length_mean"]);
    }

    [Fact]
    public void Write_NullFields_WritesEmptyCells()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Simulator());

        var lines = ReadLines();
        Assert.Equal(FixedHeader, lines[0]);
        Assert.Equal("2048,0.5,0,,4096" + new string(',', CsvMetricsSink.FixedColumnNames.Count - 5), lines[1]);
    }

    [Fact]
    public void Write_StatisticsTheUpdateDidNotMeasure_AreNaN()
    {
        // A statistic the update did not measure is NaN (learners start every value at NaN).
        var statistics = new LearnerStatistics(ActorCriticStatistics.Names) { PolicyVersion = 7 };
        statistics[0] = 0.001;
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            sink.Write(SampleReports.Simulator() with { Learner = statistics });
        }

        var cells = Cells(ReadLines()[0], ReadLines()[1]);
        Assert.Equal("0.001", cells["learning_rate"]);
        Assert.Equal("7", cells["policy_version"]);
        Assert.Equal("NaN", cells["approx_kl"]);
        Assert.Equal("NaN", cells["clipfrac"]);
        Assert.Equal("NaN", cells["explained_variance"]);
        Assert.Equal("NaN", cells["grad_norm"]);
    }

    [Fact]
    public void Write_ReportWithoutStatisticsAfterOneWith_LeavesTheLearnerCellsEmpty()
    {
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            sink.Write(SampleReports.Full());
            sink.Write(SampleReports.Simulator());
        }

        var cells = Cells(ReadLines()[0], ReadLines()[2]);
        Assert.Equal("2048", cells["global_step"]);
        Assert.Equal("", cells["policy_version"]);
        Assert.Equal("", cells["learning_rate"]);
        Assert.Equal("", cells["grad_norm"]);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0 / 3.0)]
    [InlineData(1e-300)]
    [InlineData(-123456789.123456789)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(2.5e-4)]
    public void Write_Doubles_RoundTripExactly(double value)
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Simulator() with { WallTimeSeconds = value, PolicyLagMean = -value });

        var cells = Cells(ReadLines()[0], ReadLines()[1]);
        Assert.Equal(value, double.Parse(cells["wall_time_s"], CultureInfo.InvariantCulture));
        Assert.Equal(-value, double.Parse(cells["policy_lag_mean"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Write_NonFiniteValues_WritesParseableNames()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Simulator() with
        {
            EpisodicReturnMean = double.NaN,
            ActionGapMaxMilliseconds = double.PositiveInfinity,
            PolicyLagMean = double.NegativeInfinity,
        });

        var cells = Cells(ReadLines()[0], ReadLines()[1]);
        Assert.Equal("NaN", cells["episodic_return_mean"]);
        Assert.Equal("Infinity", cells["action_gap_max_ms"]);
        Assert.Equal("-Infinity", cells["policy_lag_mean"]);
    }

    [Fact]
    public void Write_UnderACommaDecimalCulture_StillUsesInvariantNumbers()
    {
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        commaCulture.NumberFormat.NegativeSign = "~";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = commaCulture;
        try
        {
            using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
            sink.Write(SampleReports.Full() with { GlobalStep = 5, PolicyLagMean = -1.5 });
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var cells = Cells(ReadLines()[0], ReadLines()[1]);
        Assert.Equal("29.6125", cells["wall_time_s"]);
        Assert.Equal("-1.5", cells["policy_lag_mean"]);
    }

    [Fact]
    public void Write_EachRow_IsOnDiskBeforeDispose()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Full());
        Assert.Equal(2, ReadLines().Length);
        sink.Write(SampleReports.Simulator());
        Assert.Equal(3, ReadLines().Length);
    }

    [Fact]
    public void Open_AppendToMatchingFile_ContinuesWithoutASecondHeader()
    {
        using (var first = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            first.Write(SampleReports.Full() with { GlobalStep = 2048 });
        }

        using (var resumed = CsvMetricsSink.Open(MetricsPath, FileMode.Append))
        {
            resumed.Write(SampleReports.Full());
        }

        var lines = ReadLines();
        Assert.Equal(3, lines.Length);
        Assert.Equal(ExpectedHeader, lines[0]);
        Assert.StartsWith("2048,", lines[1]);
        Assert.StartsWith("187700,", lines[2]);
    }

    [Fact]
    public void Write_AppendingWithOtherLearnerStatistics_ThrowsNamingBothHeadersAndKeepsTheFile()
    {
        using (var first = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            first.Write(SampleReports.Full());
        }

        var before = File.ReadAllText(MetricsPath);
        using var resumed = CsvMetricsSink.Open(MetricsPath, FileMode.Append);
        var other = SampleReports.Simulator() with { Learner = SampleReports.Statistics(1, 1, ("losses/td_loss", 1)) };

        var error = Assert.Throws<InvalidDataException>(() => resumed.Write(other));

        Assert.Contains(MetricsPath, error.Message);
        Assert.Contains("header", error.Message);
        Assert.Contains(ExpectedHeader, error.Message);
        Assert.Contains(FixedHeader + ",td_loss", error.Message);
        Assert.Equal(before, File.ReadAllText(MetricsPath));
    }

    [Fact]
    public void Open_AppendToMissingFile_WritesTheHeader()
    {
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.Append))
        {
            sink.Write(SampleReports.Full());
        }

        var lines = ReadLines();
        Assert.Equal(ExpectedHeader, lines[0]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void Open_AppendToEmptyFile_WritesTheHeader()
    {
        File.WriteAllBytes(MetricsPath, []);
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.Append))
        {
            sink.Write(SampleReports.Full());
        }

        Assert.Equal(ExpectedHeader, ReadLines()[0]);
        Assert.Equal(2, ReadLines().Length);
    }

    [Fact]
    public void Open_AppendToFileWithAnotherHeader_ThrowsNamingPathAndBothHeaders()
    {
        File.WriteAllText(MetricsPath, "global_step,wall_time_s,episodes\n1,2,3\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.Append));

        Assert.Contains(MetricsPath, error.Message);
        Assert.Contains("header", error.Message);
        Assert.Contains(FixedHeader, error.Message);
        Assert.Contains("global_step,wall_time_s,episodes", error.Message);
        Assert.Equal("global_step,wall_time_s,episodes\n1,2,3\n", File.ReadAllText(MetricsPath));
    }

    [Fact]
    public void Open_AppendToFileWithCrlfLineEndings_ThrowsNamingTheLineEndings()
    {
        File.WriteAllText(MetricsPath, ExpectedHeader + "\r\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.Append));

        Assert.Contains("CRLF", error.Message);
    }

    [Fact]
    public void Open_AppendToFileWithoutLineBreak_ThrowsHeaderMismatch()
    {
        File.WriteAllText(MetricsPath, "not a csv at all");

        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.Append));

        Assert.Contains("not a csv at all", error.Message);
    }

    [Fact]
    public void Open_AppendToFileEndingInAPartialRow_Throws()
    {
        File.WriteAllText(MetricsPath, ExpectedHeader + "\n2048,0.5,0,");

        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.Append));

        Assert.Contains("incomplete", error.Message);
    }

    [Fact]
    public void Open_CreateNewOverExistingFile_ThrowsAndKeepsIt()
    {
        File.WriteAllText(MetricsPath, "precious\n");

        Assert.Throws<IOException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew));

        Assert.Equal("precious\n", File.ReadAllText(MetricsPath));
    }

    [Fact]
    public void Open_Create_ReplacesExistingFile()
    {
        File.WriteAllText(MetricsPath, "old,content\n1,2\n3,4\n");
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.Create))
        {
            sink.Write(SampleReports.Full());
        }

        Assert.Equal(ExpectedHeader, ReadLines()[0]);
        Assert.Equal(2, ReadLines().Length);
    }

    [Theory]
    [InlineData(FileMode.Open)]
    [InlineData(FileMode.OpenOrCreate)]
    [InlineData(FileMode.Truncate)]
    public void Open_UnsupportedMode_Throws(FileMode mode)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvMetricsSink.Open(MetricsPath, mode));
    }

    [Fact]
    public void WriteEpisode_WritesNoRow()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Full());
        sink.WriteEpisode(new EpisodeReport(10, 1.0, new(1.0, 10, 0.1)));

        Assert.Equal(2, ReadLines().Length);
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Dispose();
        sink.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sink.Write(SampleReports.Simulator()));
    }
}

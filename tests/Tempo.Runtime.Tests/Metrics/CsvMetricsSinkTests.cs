using System.Globalization;
using Tempo.Algorithms.Learners;
using Tempo.Runtime.Metrics;

namespace Tempo.Runtime.Tests.Metrics;

public sealed class CsvMetricsSinkTests : IDisposable
{
    // Spelled out rather than taken from the sink, so a reordered or renamed column fails here.
    private const string ExpectedHeader =
        "global_step,wall_time_s,episodes,episodic_return_mean,sps," +
        "action_gap_p50_ms,action_gap_p99_ms,action_gap_max_ms,policy_lag_mean," +
        "policy_lag_max,deadline_overruns,segments_dropped_stale,segments_dropped_queue_full,learner_updates_per_s," +
        "learning_rate,policy_loss,value_loss,entropy,approx_kl,clipfrac,explained_variance,grad_norm,policy_version," +
        "episodic_length_mean";

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
    public void Open_CreateNew_WritesTheDocumentedHeader()
    {
        using (CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
        }

        Assert.Equal([ExpectedHeader], ReadLines());
        Assert.Equal(ExpectedHeader, CsvMetricsSink.Header);
        Assert.Equal(ExpectedHeader.Split(','), CsvMetricsSink.ColumnNames);
    }

    [Fact]
    public void Header_StartsWithTheMeasurementContractColumnsInOrder()
    {
        string[] contract =
        [
            "global_step", "wall_time_s", "episodes", "episodic_return_mean", "sps",
            "action_gap_p50_ms", "action_gap_p99_ms", "action_gap_max_ms", "policy_lag_mean",
        ];
        Assert.Equal(contract, CsvMetricsSink.ColumnNames.Take(contract.Length));
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
        Assert.Equal("475.25", cells["episodic_length_mean"]);
    }

    [Fact]
    public void Write_NullFields_WritesEmptyCells()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Simulator());

        var lines = ReadLines();
        Assert.Equal("2048,0.5,0,,4096" + new string(',', CsvMetricsSink.ColumnNames.Count - 5), lines[1]);
    }

    [Fact]
    public void Write_LearnerWithoutOptionalStatistics_LeavesOnlyThoseEmpty()
    {
        using var sink = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew);
        sink.Write(SampleReports.Simulator() with
        {
            Learner = new LearnerStatistics { LearningRate = 0.001, PolicyLoss = 1, ValueLoss = 2, Entropy = 3, PolicyVersion = 7 },
        });

        var cells = Cells(ReadLines()[0], ReadLines()[1]);
        Assert.Equal("0.001", cells["learning_rate"]);
        Assert.Equal("7", cells["policy_version"]);
        Assert.Equal("", cells["approx_kl"]);
        Assert.Equal("", cells["clipfrac"]);
        Assert.Equal("", cells["explained_variance"]);
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
        sink.Write(SampleReports.Simulator());
        Assert.Equal(2, ReadLines().Length);
        sink.Write(SampleReports.Full());
        Assert.Equal(3, ReadLines().Length);
    }

    [Fact]
    public void Open_AppendToMatchingFile_ContinuesWithoutASecondHeader()
    {
        using (var first = CsvMetricsSink.Open(MetricsPath, FileMode.CreateNew))
        {
            first.Write(SampleReports.Simulator());
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
    public void Open_AppendToMissingFile_WritesTheHeader()
    {
        using (var sink = CsvMetricsSink.Open(MetricsPath, FileMode.Append))
        {
            sink.Write(SampleReports.Simulator());
        }

        var lines = ReadLines();
        Assert.Equal(ExpectedHeader, lines[0]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void Open_AppendToEmptyFile_WritesTheHeader()
    {
        File.WriteAllBytes(MetricsPath, []);
        using (CsvMetricsSink.Open(MetricsPath, FileMode.Append))
        {
        }

        Assert.Equal([ExpectedHeader], ReadLines());
    }

    [Fact]
    public void Open_AppendToFileWithAnotherHeader_ThrowsNamingPathAndBothHeaders()
    {
        File.WriteAllText(MetricsPath, "global_step,wall_time_s,episodes\n1,2,3\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvMetricsSink.Open(MetricsPath, FileMode.Append));

        Assert.Contains(MetricsPath, error.Message);
        Assert.Contains("header", error.Message);
        Assert.Contains(ExpectedHeader, error.Message);
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
        using (CsvMetricsSink.Open(MetricsPath, FileMode.Create))
        {
        }

        Assert.Equal([ExpectedHeader], ReadLines());
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
        sink.WriteEpisode(new EpisodeReport(10, 1.0, new(1.0, 10, 0.1)));

        Assert.Single(ReadLines());
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

using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Tempo.Nn.Kernels.Selection;

namespace Tempo.Benchmarks.Kernels;

/// <summary>A summary column with GFLOP/s (from the median or the fastest iteration) or that as a percentage of the FMA peak.</summary>
public sealed class GflopsColumn : IColumn
{
    private readonly bool _best;
    private readonly bool _percentOfPeak;
    private readonly Lazy<double> _peakPerCore;

    /// <summary>Creates a column; the peak is measured once, lazily, by <see cref="FmaPeak"/>.</summary>
    public GflopsColumn(bool best, bool percentOfPeak, Lazy<double> peakPerCore)
    {
        _best = best;
        _percentOfPeak = percentOfPeak;
        _peakPerCore = peakPerCore;
    }

    /// <inheritdoc/>
    public string Id => $"{nameof(GflopsColumn)}.{_best}.{_percentOfPeak}";

    /// <inheritdoc/>
    public string ColumnName => (_percentOfPeak ? "% peak" : "GFLOP/s") + (_best ? " (best)" : " (median)");

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => (_percentOfPeak ? 2 : 0) + (_best ? 1 : 0);

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => _percentOfPeak
        ? "GFLOP/s divided by (FMA-loop peak per core × threads) measured on this machine"
        : "Floating-point operations per second, 10^9";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var value = Compute(summary, benchmarkCase, _best, _percentOfPeak, _peakPerCore);
        return value is null ? "-" : value.Value.ToString(_percentOfPeak ? "F1" : "F2", CultureInfo.InvariantCulture);
    }

    /// <summary>GFLOP/s or % of peak for one case, or null when it has no <see cref="IFlopCount"/> parameter or no result.</summary>
    public static double? Compute(Summary summary, BenchmarkCase benchmarkCase, bool best, bool percentOfPeak, Lazy<double> peakPerCore)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        ArgumentNullException.ThrowIfNull(peakPerCore);
        var flops = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault()?.Flops;
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (flops is null || statistics is null)
        {
            return null;
        }

        var nanoseconds = best ? statistics.Min : statistics.Median;
        var gflops = flops.Value / nanoseconds;
        if (!percentOfPeak)
        {
            return gflops;
        }

        var threads = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int t ? t : 1;
        return 100 * gflops / (peakPerCore.Value * threads);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}

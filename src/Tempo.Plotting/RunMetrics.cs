using System.Globalization;

namespace Tempo.Plotting;

/// <summary>The curves of one run, read from its folder's <c>metrics.csv</c>: one point per report.</summary>
/// <param name="Name">The run folder's name, the curve's label.</param>
/// <param name="GlobalSteps">Env steps at each report.</param>
/// <param name="WallTimeSeconds">Seconds since training started at each report.</param>
/// <param name="ReturnMeans">Last-20 mean return at each report; NaN before the first episode ended.</param>
/// <param name="ActionGapP99Milliseconds">Action gap p99 at each report (live runs); NaN where the run has none.</param>
/// <param name="XReachedMeans">Last-20 mean of the farthest x reached (envs exposing positions); NaN where the run has none.</param>
public sealed record RunMetrics(string Name, double[] GlobalSteps, double[] WallTimeSeconds, double[] ReturnMeans, double[] ActionGapP99Milliseconds, double[] XReachedMeans)
{
    /// <summary>The file a run folder keeps its reports in.</summary>
    public const string FileName = "metrics.csv";

    /// <summary>Whether the run reported action gaps (a live env).</summary>
    public bool IsLive => ActionGapP99Milliseconds.Any(double.IsFinite);

    /// <summary>Whether the run reported the farthest x its episodes reached (an env exposing the player's position).</summary>
    public bool HasPositions => XReachedMeans.Any(double.IsFinite);

    /// <summary>Reads the reports of the run in <paramref name="runDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The folder does not exist or holds no <c>metrics.csv</c>.</exception>
    /// <exception cref="InvalidDataException">The file lacks a column curves need, or a cell is not a number.</exception>
    public static RunMetrics Read(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        if (!Directory.Exists(runDirectory))
        {
            throw new ArgumentException($"Run folder {runDirectory} does not exist.");
        }

        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{runDirectory} holds no {FileName}; plot the folder a run trained into (tempo train --run-dir).");
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{path} is empty: the run wrote no report.");
        }

        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var index and >= 0
            ? index
            : throw new InvalidDataException($"{path} has no {name} column (its columns: {lines[0]}).");
        var step = Column("global_step");
        var wall = Column("wall_time_s");
        var returns = Column("episodic_return_mean");
        var gap = Array.IndexOf(header, "action_gap_p99_ms");
        var xReached = Array.IndexOf(header, "episodic_x_reached_mean");

        var rows = lines.Skip(1).Where(line => line.Length > 0).ToArray();
        var metrics = new RunMetrics(
            Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory))),
            new double[rows.Length],
            new double[rows.Length],
            new double[rows.Length],
            new double[rows.Length],
            new double[rows.Length]);
        for (var i = 0; i < rows.Length; i++)
        {
            var cells = rows[i].Split(',');
            double Cell(int column) => column < 0 || column >= cells.Length || cells[column].Length == 0
                ? double.NaN
                : double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidDataException($"{path}, line {i + 2}, column {header[column]}: '{cells[column]}' is not a number.");
            metrics.GlobalSteps[i] = Cell(step);
            metrics.WallTimeSeconds[i] = Cell(wall);
            metrics.ReturnMeans[i] = Cell(returns);
            metrics.ActionGapP99Milliseconds[i] = Cell(gap);
            metrics.XReachedMeans[i] = Cell(xReached);
        }

        return metrics;
    }
}

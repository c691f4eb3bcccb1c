using ScottPlot;

namespace Tempo.Plotting;

/// <summary>
/// Draws learning curves of one or more runs into a PNG: return against env steps and against wall time, for live runs
/// the action gap p99 over time, and for runs on envs that expose positions the farthest x reached over time.
/// </summary>
public static class LearningCurves
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 1200;

    /// <summary>Default height in pixels of each panel (two panels, one more with a live run, one more with positions).</summary>
    public const int DefaultPanelHeight = 400;

    /// <summary>Reads each run folder's <c>metrics.csv</c> and saves the curves, runs overlaid, as a PNG at <paramref name="pngPath"/>.</summary>
    /// <param name="runDirectories">Run folders (what <c>tempo train --run-dir</c> wrote).</param>
    /// <param name="pngPath">The image to write (replaced if it exists).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="panelHeight">Height of each panel in pixels.</param>
    /// <returns>The image's size in pixels.</returns>
    /// <exception cref="ArgumentException">No run folders, a folder without metrics, or a size that is not positive.</exception>
    /// <exception cref="InvalidDataException">A metrics file lacks a column curves need or holds a cell that is not a number.</exception>
    public static (int Width, int Height) SavePng(IReadOnlyList<string> runDirectories, string pngPath, int width = DefaultWidth, int panelHeight = DefaultPanelHeight)
    {
        ArgumentNullException.ThrowIfNull(runDirectories);
        ArgumentNullException.ThrowIfNull(pngPath);
        if (runDirectories.Count == 0)
        {
            throw new ArgumentException("Name at least one run folder to plot.");
        }

        if (width <= 0 || panelHeight <= 0)
        {
            throw new ArgumentException($"The image needs a positive size; got {width} wide, panels {panelHeight} high.");
        }

        var runs = runDirectories.Select(RunMetrics.Read).ToArray();
        var live = runs.Where(r => r.IsLive).ToArray();
        var multiplot = new Multiplot(); // starts with one plot
        var byStep = multiplot.GetPlot(0);
        var byTime = multiplot.AddPlot();
        Panel(byStep, "Return against env steps", "env steps", "last-20 mean return");
        Panel(byTime, "Return against wall time", "wall time (s)", "last-20 mean return");
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < runs.Length; i++)
        {
            var color = palette.GetColor(i);
            Line(byStep, runs[i].GlobalSteps, runs[i].ReturnMeans, runs[i].Name, color);
            Line(byTime, runs[i].WallTimeSeconds, runs[i].ReturnMeans, runs[i].Name, color);
        }

        if (live.Length > 0)
        {
            var gaps = multiplot.AddPlot();
            Panel(gaps, "Action gap p99 of live runs", "wall time (s)", "action gap p99 (ms)");
            for (var i = 0; i < runs.Length; i++)
            {
                if (runs[i].IsLive)
                {
                    Line(gaps, runs[i].WallTimeSeconds, runs[i].ActionGapP99Milliseconds, runs[i].Name, palette.GetColor(i));
                }
            }
        }

        var panels = 2 + (live.Length > 0 ? 1 : 0);
        if (runs.Any(r => r.HasPositions))
        {
            var progress = multiplot.AddPlot();
            Panel(progress, "Farthest x reached against wall time", "wall time (s)", "last-20 mean x reached");
            for (var i = 0; i < runs.Length; i++)
            {
                if (runs[i].HasPositions)
                {
                    Line(progress, runs[i].WallTimeSeconds, runs[i].XReachedMeans, runs[i].Name, palette.GetColor(i));
                }
            }

            panels++;
        }

        var height = panelHeight * panels;
        multiplot.SavePng(pngPath, width, height);
        return (width, height);
    }

    private static void Panel(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
    }

    /// <summary>One run's curve; reports before its first value (NaN: no episode ended yet) are left out.</summary>
    private static void Line(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var points = xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        var scatter = plot.Add.ScatterLine(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        plot.ShowLegend(Alignment.LowerRight);
    }
}

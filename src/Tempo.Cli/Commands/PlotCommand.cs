using System.CommandLine;
using Tempo.Plotting;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo plot</c>: learning curves of one or more run folders, overlaid, as a PNG.</summary>
internal static class PlotCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var runs = new Argument<DirectoryInfo[]>("RUN_DIR") { Description = "Run folders to plot (each holds the metrics.csv tempo train wrote).", Arity = ArgumentArity.OneOrMore };
        var image = new Option<FileInfo>("--output", "-o") { Description = "The PNG to write.", DefaultValueFactory = _ => new FileInfo("curves.png") };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => LearningCurves.DefaultWidth };
        var panelHeight = new Option<int>("--panel-height") { Description = "Height of each panel in pixels.", DefaultValueFactory = _ => LearningCurves.DefaultPanelHeight };
        var command = new Command("plot", "Draw learning curves (return against steps and wall time; action gaps of live runs) from run folders.") { runs, image, width, panelHeight };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            var path = parse.GetRequiredValue(image).FullName;
            if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
            {
                return CliErrors.Fail(error, $"--output {path}: the folder {folder} does not exist.");
            }

            var folders = parse.GetRequiredValue(runs).Select(d => d.FullName).ToArray();
            var (w, h) = LearningCurves.SavePng(folders, path, parse.GetValue(width), parse.GetValue(panelHeight));
            output.WriteLine($"wrote {path} ({w}×{h}, {folders.Length} run{(folders.Length == 1 ? string.Empty : "s")})");
            return 0;
        }));
        return command;
    }
}

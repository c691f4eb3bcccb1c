using System.CommandLine;
using Tempo.Games.Memory;
using Tempo.Games.Scanning;
using Tempo.Games.Supervision;
using Tempo.Games.X11;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo scan --pid PID --script FILE</c>: finds where a running game keeps values and writes a chain file.</summary>
internal static class ScanCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var pid = new Option<int>("--pid") { Description = "The running game's process id.", Required = true };
        var script = new Option<string>("--script") { Description = "The scan script (JSON: targets, steps, verify), e.g. configs/scan/supertux.json.", Required = true };
        var display = new Option<string?>("--display") { Description = "The game's X display (default: the DISPLAY in the game's environment)." };
        var outPath = new Option<string>("--out") { Description = "Where to write the chain file.", DefaultValueFactory = _ => "chains.json" };
        var command = new Command("scan", "Find values (position, score) in a running game's memory by scripted key presses, and write the pointer chains to them.") { pid, script, display, outPath };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            var loaded = ScanScript.Load(parse.GetValue(script)!);
            try
            {
                using var game = AttachedGame.Attach(parse.GetValue(pid), parse.GetValue(display));
                output.WriteLine($"scanning process {game.ProcessId} ({game.MainModule}) on display {game.DisplayName}; keep its window focused");
                var result = new Scanner(game.Memory, game.Keyboard, game.MainModule).Run(loaded, game.MainModule, output.WriteLine);
                if (result.Chains.Chains.Count == 0)
                {
                    return CliErrors.Fail(error, "no chain survived the script; see the candidate counts above and refine the steps");
                }

                var path = parse.GetValue(outPath)!;
                result.Chains.Save(path);
                output.WriteLine($"wrote {result.Chains.Chains.Count} chains to {path} in {result.Elapsed.TotalSeconds:F1} s");
                return 0;
            }
            catch (Exception e) when (e is GameMemoryException or X11Exception)
            {
                return CliErrors.Fail(error, e.Message);
            }
        }));
        return command;
    }
}

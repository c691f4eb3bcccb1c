using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tempo.Runtime.Bench;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo bench</c>: how Tempo does on this machine (<see cref="MachineBench"/>), as text or JSON.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object (for scripts); progress still goes to standard error." };
        var quick = new Option<bool>("--quick") { Description = "A few iterations of each figure and a short CartPole run: checks that the bench runs, in seconds; the figures are rough." };
        var command = new Command("bench", "Measure this machine in about a minute: FMA peak, SGEMM GFLOP/s and % of peak per thread count, batch-1 acting, a PPO minibatch update, a Nature-CNN update, CartPole PPO wall time to 475, and the kernels chosen for the CPU.") { json, quick };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            var report = MachineBench.Run(new MachineBenchOptions(parse.GetValue(quick)), figure => error.WriteLine($"measuring {figure}…"));
            if (parse.GetValue(json))
            {
                // Relaxed escaping keeps the kernel description's "8×32" readable; the output goes to a terminal or a file, never into HTML.
                var context = new MachineBenchJsonContext(new JsonSerializerOptions(MachineBenchJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                output.WriteLine(JsonSerializer.Serialize(report, context.MachineBenchReport));
                return 0;
            }

            foreach (var line in MachineBench.Format(report))
            {
                output.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }
}

using System.CommandLine;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo train</c>: parses flags and config into <see cref="RunSettings"/> and hands them to <see cref="Trainer"/>.</summary>
internal static class TrainCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error, TimeProvider time, bool redrawProgress)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file of settings; keys are these flags without the dashes." };
        var plain = new Option<bool>("--plain") { Description = "Print one line per report instead of a live progress line." };
        var resume = new Option<DirectoryInfo>("--resume") { Description = "Continue the run in this folder from its checkpoint (its config applies; flags override)." };
        var force = new Option<bool>("--force") { Description = "Overwrite the run in --run-dir if it holds one (its config, metrics, events and checkpoint are deleted first)." };
        var envAssembly = EnvAssemblies.CreateOption();
        var flags = new TrainFlags();

        var command = new Command("train", "Train an agent.") { config, plain, resume, force, envAssembly };
        foreach (var option in flags.Options)
        {
            command.Add(option);
        }

        command.SetAction((parse, cancellationToken) => Task.FromResult(CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);

            var (resolved, resumeFrom) = TrainingLayers.Resolve(parse, registry, defaults: null, resume, config, flags);
            var settings = resolved with { ResumeFrom = resumeFrom, OverwriteExistingRun = parse.GetValue(force) };

            using var progress = new ConsoleProgressSink(output, redrawInPlace: redrawProgress && !parse.GetValue(plain), time, totalSteps: settings.Collection.TotalTimesteps);
            var outcome = Trainer.Train(registry, settings, new RunHooks { Progress = progress, Announce = progress.WriteLine, Time = time }, cancellationToken);
            progress.Dispose();
            output.WriteLine(outcome.Summary);

            // Ctrl-C cancels the run; it still checkpoints, and exits with the shell's code for SIGINT (128 + 2).
            return outcome.Cancelled ? CliErrors.Interrupted : 0;
        })));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
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
        var envAssembly = EnvAssemblies.CreateOption();
        var flags = new TrainFlags();

        var command = new Command("train", "Train an agent.") { config, plain, resume, envAssembly };
        foreach (var option in flags.Options)
        {
            command.Add(option);
        }

        command.SetAction((parse, cancellationToken) => Task.FromResult(CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);

            // Layers, later ones win: a resumed run's stored config, the config file, then the flags.
            var layers = new List<ConfigLayer>();
            string? resumeFrom = null;
            if (parse.GetValue(resume) is { } resumeDirectory)
            {
                resumeFrom = Path.Combine(resumeDirectory.FullName, CheckpointFile.FileName);
                var checkpoint = CheckpointFile.ReadMetadata(resumeFrom);
                layers.Add(ConfigLayer.Parse(checkpoint.Config, $"the config stored in {resumeFrom}"));
                layers.Add(new ConfigLayer("--resume", new JsonObject { ["run-dir"] = resumeDirectory.FullName }));
            }

            if (parse.GetValue(config) is { } file)
            {
                layers.Add(ConfigLayer.ReadFile(file.FullName));
            }

            layers.Add(flags.Read(parse));
            var settings = RunConfig.Resolve(registry, layers) with { ResumeFrom = resumeFrom };

            using var progress = new ConsoleProgressSink(output, redrawInPlace: redrawProgress && !parse.GetValue(plain), time);
            var outcome = Trainer.Train(registry, settings, new RunHooks { Progress = progress, Announce = progress.WriteLine, Time = time }, cancellationToken);
            progress.Dispose();
            var mean = outcome.ReturnMean is { } m ? m.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"trained {outcome.GlobalStep} steps in {outcome.WallTimeSeconds:F2} s; {outcome.Episodes} episodes; last-20 mean return {mean}; run folder {outcome.RunDirectory}"));
            return 0;
        })));
        return command;
    }
}

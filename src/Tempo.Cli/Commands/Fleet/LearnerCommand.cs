using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Metrics;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Cli.Commands.Fleet;

/// <summary><c>tempo learner</c>: publishes a run to a Redis fleet and trains on what its actors send, with <c>tempo train</c>'s flags and config layering.</summary>
internal static class LearnerCommand
{
    // Every algorithm by name; the on-policy one (ppo) is refused with the reason when chosen, since it cannot learn from a lagging fleet.
    private static readonly string _description =
        $"Train a run's learner on segments from actor processes through Redis. --algo: {string.Join(", ", ActorCriticRecipes.AlgorithmNames)} "
        + "(appo by default; ppo is on-policy and trains with `tempo train --schedule sync` instead).";

    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error, TimeProvider time, bool redrawProgress)
    {
        var fleet = new FleetOptions();
        var config = new Option<FileInfo>("--config") { Description = "JSON file of settings; keys are these flags without the dashes." };
        var plain = new Option<bool>("--plain") { Description = "Print one line per report instead of a live progress line." };
        var resume = new Option<DirectoryInfo>("--resume") { Description = "Continue the run in this folder from its checkpoint: step, policy version, optimizer state; the fleet's actors keep acting meanwhile." };
        var envAssembly = EnvAssemblies.CreateOption();
        var flags = new TrainFlags();
        var command = new Command("learner", _description) { config, plain, resume, envAssembly };
        fleet.AddTo(command);
        foreach (var option in flags.Options)
        {
            command.Add(option);
        }

        command.SetAction((parse, cancellationToken) => Task.FromResult(FleetOptions.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);

            // The fleet's defaults (async, APPO) sit under every other layer.
            var fleetDefaults = new ConfigLayer("tempo learner", new JsonObject { ["schedule"] = "async", ["algo"] = "appo" });
            var (resolved, resumeFrom) = TrainingLayers.Resolve(parse, registry, fleetDefaults, resume, config, flags);
            var settings = resolved with { ResumeFrom = resumeFrom };
            if (settings.Schedule != ScheduleKind.Asynchronous)
            {
                return CliErrors.Fail(error, "a fleet learner runs the async schedule; drop --schedule sync.");
            }

            using var redis = fleet.Connect(parse, line => error.WriteLine($"warning: {line}"));
            using var progress = new ConsoleProgressSink(output, redrawInPlace: redrawProgress && !parse.GetValue(plain), time);
            var outcome = HostRuns.Learn(registry, settings, redis.LearnerTransport(settings), new RunHooks { Progress = progress, Announce = progress.WriteLine, Time = time }, cancellationToken);
            progress.Dispose();
            var mean = outcome.ReturnMean is { } m ? m.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"learned from {outcome.GlobalStep} steps in {outcome.WallTimeSeconds:F2} s; {outcome.Episodes} episodes; last-20 mean return {mean}; run folder {outcome.RunDirectory}"));
            return 0;
        })));
        return command;
    }
}

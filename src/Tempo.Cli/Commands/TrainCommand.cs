using System.CommandLine;
using System.Globalization;
using Tempo.Algorithms.Ppo;
using Tempo.Cli.Training;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Metrics;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo train</c>: trains an agent and writes metrics, TensorBoard events and checkpoints to a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error, TimeProvider time, bool redrawProgress)
    {
        var env = new Option<string>("--env") { Description = "Environment id (see 'tempo envs')." };
        var algo = new Option<TrainAlgorithm>("--algo") { Description = "Learning algorithm." };
        var schedule = new Option<TrainSchedule>("--schedule") { Description = "sync: collect, pause, train, resume." };
        var seed = new Option<int>("--seed") { Description = "Seed of envs (env i gets seed + i), networks and shuffles." };
        var runDir = new Option<string>("--run-dir") { Description = "Folder for metrics.csv, TensorBoard events, config and checkpoints." };
        var targetReturn = new Option<double>("--target-return") { Description = "Stop once the mean return of the last 20 episodes reaches this." };
        var pause = new Option<bool>("--pause") { Description = "Pause envs that can pause while the learner trains (sync schedule)." };
        var config = new Option<FileInfo>("--config") { Description = "JSON file of settings; keys are these flags without the dashes." };
        var plain = new Option<bool>("--plain") { Description = "Print one line per report instead of a live progress line." };
        var numActors = new Option<int>("--num-actors") { Description = "Async schedule: actor threads, each with --num-envs envs." };
        var maxPolicyLag = new Option<long>("--max-policy-lag") { Description = "Async schedule: drop segments more than this many versions behind the learner." };
        var queueCapacity = new Option<int>("--queue-capacity") { Description = "Async schedule: segments the channel holds before dropping the oldest." };
        var rhoBar = new Option<double>("--rho-bar") { Description = "V-trace's truncation of importance weights (APPO, IMPALA)." };
        var tickRate = new Option<double>("--tick-rate") { Description = "World ticks per second of a live env (LiveCartPole-v1 defaults to 50)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write checkpoint.tempo every this many learner updates (and always at the end)." };
        var resume = new Option<DirectoryInfo>("--resume") { Description = "Continue the run in this folder from its checkpoint (its config applies; flags override)." };
        var ppoFlags = new PpoFlags();

        var command = new Command("train", "Train an agent.") { env, algo, schedule, seed, runDir, targetReturn, pause, config, plain, resume, checkpointEvery, numActors, maxPolicyLag, queueCapacity, rhoBar, tickRate };
        foreach (var option in ppoFlags.Options)
        {
            command.Add(option);
        }

        command.SetAction((parse, cancellationToken) => Task.FromResult(CliErrors.Guard(error, () =>
        {
            // Run settings merge as they are read; PPO choices are collected and applied over the defaults of the env's
            // recipe once the env is known (a stored config, then the config file, then the flags; later ones win).
            var settings = new TrainSettings { Env = "CartPole-v1", Ppo = new PpoOptions() };
            var ppoChoices = new PpoChoices();
            string? resumeFrom = null;
            if (parse.GetValue(resume) is { } resumeDirectory)
            {
                resumeFrom = Path.Combine(resumeDirectory.FullName, CheckpointFile.FileName);
                var checkpoint = CheckpointFile.ReadMetadata(resumeFrom);
                var (stored, storedPpo) = TrainConfigFile.ParseLayer(checkpoint.Config, $"the config stored in {resumeFrom}", settings);
                settings = stored with { RunDir = resumeDirectory.FullName };
                ppoChoices = ppoChoices.Then(storedPpo);
            }

            if (parse.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    return CliErrors.Fail(error, $"config file {file.FullName} does not exist.");
                }

                var (read, filePpo) = TrainConfigFile.Read(file.FullName, settings);
                settings = read;
                ppoChoices = ppoChoices.Then(filePpo);
            }

            settings = Override(parse, env, settings, (s, v) => s with { Env = v });
            settings = Override(parse, algo, settings, (s, v) => s with { Algo = v });
            settings = Override(parse, schedule, settings, (s, v) => s with { Schedule = v });
            settings = Override(parse, seed, settings, (s, v) => s with { Seed = v });
            settings = Override(parse, runDir, settings, (s, v) => s with { RunDir = v });
            settings = Override(parse, targetReturn, settings, (s, v) => s with { TargetReturn = v });
            settings = Override(parse, pause, settings, (s, v) => s with { Pause = v });
            settings = Override(parse, checkpointEvery, settings, (s, v) => s with { CheckpointEvery = v });
            settings = Override(parse, numActors, settings, (s, v) => s with { NumActors = v });
            settings = Override(parse, maxPolicyLag, settings, (s, v) => s with { MaxPolicyLag = v });
            settings = Override(parse, queueCapacity, settings, (s, v) => s with { QueueCapacity = v });
            settings = Override(parse, rhoBar, settings, (s, v) => s with { RhoBar = v });
            settings = Override(parse, tickRate, settings, (s, v) => s with { TickRate = v });
            ppoChoices = ppoChoices.Then(options => ppoFlags.Apply(parse, options));
            settings = settings with { Ppo = ppoChoices.ApplyTo(PpoRecipes.DefaultOptions(registry.GetSpec(settings.Env))) };
            if (settings.CheckpointEvery <= 0)
            {
                return CliErrors.Fail(error, $"checkpoint-every must be a positive number of updates; got {settings.CheckpointEvery}.");
            }

            using var progress = new ConsoleProgressSink(output, redrawInPlace: redrawProgress && !parse.GetValue(plain), time);
            var outcome = settings.Schedule == TrainSchedule.Async
                ? AsyncRun.Run(registry, settings, progress, progress.WriteLine, time, resumeFrom, cancellationToken)
                : PpoRun.Run(registry, settings, progress, progress.WriteLine, time, resumeFrom, cancellationToken);
            progress.Dispose();
            var mean = outcome.ReturnMean is { } m ? m.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"trained {outcome.GlobalStep} steps in {outcome.WallTimeSeconds:F2} s; {outcome.Episodes} episodes; last-20 mean return {mean}; run folder {Path.GetFullPath(settings.RunDir)}"));
            return 0;
        })));
        return command;
    }

    // An option the user did not give can still have an implicit result (bool options default to false); only given ones override.
    private static TrainSettings Override<T>(ParseResult parse, Option<T> option, TrainSettings settings, Func<TrainSettings, T, TrainSettings> apply) =>
        parse.GetResult(option) is { Implicit: false } ? apply(settings, parse.GetValue(option)!) : settings;
}

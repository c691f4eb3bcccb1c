using System.CommandLine;
using System.Globalization;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo eval</c>: plays episodes with a trained policy and can record the first one as GIF or MP4.</summary>
internal static class EvalCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A checkpoint file, or a run folder holding checkpoint.tempo.", Required = true };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to play.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first episode; episode i uses seed + i.", DefaultValueFactory = _ => 1000 };
        var video = new Option<string>("--video") { Description = "Record the first episode to FILE.gif or FILE.mp4 (MP4 needs ffmpeg)." };
        var sample = new Option<bool>("--sample") { Description = "Draw actions from the policy as training does, instead of taking the most likely one." };
        var envAssembly = EnvAssemblies.CreateOption();
        episodes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"--episodes must be positive; got {result.GetValueOrDefault<int>()}.");
            }
        });

        var command = new Command("eval", "Evaluate a trained policy.") { checkpoint, episodes, seed, sample, video, envAssembly };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            var selection = parse.GetValue(sample) ? ActionSelection.Sample : ActionSelection.Deterministic;
            var outcome = Evaluator.Evaluate(
                registry,
                parse.GetRequiredValue(checkpoint).FullName,
                new EvaluationSettings { Episodes = parse.GetValue(episodes), Seed = parse.GetValue(seed), Selection = selection, VideoPath = parse.GetValue(video) },
                (episode, statistics) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"episode {episode + 1}: return {statistics.Return:F2}, length {statistics.Length}{RunCommand.XReached(statistics.XReached)}")));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"mean return over {outcome.Episodes.Count} episodes{(selection == ActionSelection.Sample ? " with sampled actions" : string.Empty)}: {outcome.MeanReturn:F2} (policy {new PolicyVersion(outcome.PolicyVersion)}, {outcome.GlobalStep} training steps)"));
            if (outcome.VideoPath is { } path)
            {
                output.WriteLine($"video of episode 1: {path}");
            }

            return 0;
        }));
        return command;
    }
}

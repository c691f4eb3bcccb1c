using System.CommandLine;
using Tempo.Cli.Training;
using Tempo.Core.Envs.Registry;

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
        episodes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"--episodes must be positive; got {result.GetValueOrDefault<int>()}.");
            }
        });

        var command = new Command("eval", "Evaluate a trained policy.") { checkpoint, episodes, seed, video };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            var path = parse.GetRequiredValue(checkpoint).FullName;
            if (Directory.Exists(path))
            {
                path = Path.Combine(path, Runtime.Checkpoints.CheckpointFile.FileName);
            }

            EvalRun.Run(registry, path, parse.GetValue(episodes), parse.GetValue(seed), parse.GetValue(video), output);
            return 0;
        }));
        return command;
    }
}

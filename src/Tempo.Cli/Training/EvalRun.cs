using System.Globalization;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Video;

namespace Tempo.Cli.Training;

/// <summary>Plays episodes with a checkpoint's policy (its most likely actions) and optionally records the first one.</summary>
internal static class EvalRun
{
    /// <summary>Frame rate of recorded videos; classic-control envs render at 50 fps in Gymnasium.</summary>
    private const double FramesPerSecond = 50;

    /// <summary>Evaluates the checkpoint at <paramref name="checkpointPath"/> and returns the mean return.</summary>
    public static double Run(EnvRegistry registry, string checkpointPath, int episodes, int seed, string? videoPath, TextWriter output)
    {
        var checkpoint = CheckpointFile.ReadMetadata(checkpointPath);
        var settings = TrainConfigFile.Parse(checkpoint.Config, $"the config stored in {checkpointPath}", new TrainSettings { Env = "CartPole-v1", Ppo = new() });
        return PpoRecipes.Dispatch(registry, settings, new Evaluation(checkpointPath, checkpoint, episodes, seed, videoPath, output));
    }

    private sealed class Evaluation(string checkpointPath, TrainingCheckpoint checkpoint, int episodes, int seed, string? videoPath, TextWriter output)
        : IPpoRecipeVisitor<double>
    {
        public double Visit<TObservation, TAction>(PpoRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            using var env = recipe.MakeEnv();
            var model = recipe.MakeModel(env, new RandomSource(seed));
            CheckpointFile.Load(checkpointPath, model.NamedParameters);
            if (env.TryFind<NormalizeObservation<TAction>>(out var normalizer))
            {
                // Evaluate with the statistics training ended with (env 0's), frozen.
                if (checkpoint.ObservationNormalizers.Count > 0)
                {
                    normalizer.SetState(checkpoint.ObservationNormalizers[0].ToState());
                }

                normalizer.UpdateStatistics = false;
            }

            IVideoWriter? video = null;
            byte[] frame = [];
            if (videoPath is not null)
            {
                if (!env.TryFind<IRenderable>(out var renderable))
                {
                    throw new ArgumentException($"{env} cannot render frames, so no video can be recorded.");
                }

                video = VideoWriterFactory.Create(videoPath, renderable.FrameWidth, renderable.FrameHeight, FramesPerSecond);
                frame = new byte[renderable.FrameWidth * renderable.FrameHeight * 3];
            }

            var observation = new TObservation[env.ObservationSpace.FlatSize];
            var action = new TAction[env.ActionSpace.FlatSize];
            Span<float> logProb = stackalloc float[1];
            Span<float> value = stackalloc float[1];
            double total = 0;
            using (video)
            {
                for (var episode = 0; episode < episodes; episode++)
                {
                    env.Reset(observation, seed + episode);
                    StepResult result;
                    do
                    {
                        if (episode == 0 && video is not null && env.TryFind<IRenderable>(out var renderable))
                        {
                            renderable.Render(frame);
                            video.WriteFrame(frame);
                        }

                        model.Act(observation, 1, ActionSelection.Deterministic, action, logProb, value);
                        result = env.Step(action, observation);
                    }
                    while (!result.IsDone);

                    var statistics = result.Episode ?? throw new InvalidOperationException("The env stack records no episode statistics.");
                    total += statistics.Return;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"episode {episode + 1}: return {statistics.Return:F2}, length {statistics.Length}"));
                }

                video?.Complete();
            }

            var mean = total / episodes;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean return over {episodes} episodes: {mean:F2} (policy {new PolicyVersion(checkpoint.PolicyVersion)}, {checkpoint.GlobalStep} training steps)"));
            if (videoPath is not null)
            {
                output.WriteLine($"video of episode 1: {Path.GetFullPath(videoPath)}");
            }

            return mean;
        }
    }
}

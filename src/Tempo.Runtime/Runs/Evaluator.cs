using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Video;

namespace Tempo.Runtime.Runs;

/// <summary>Plays episodes with a checkpoint's policy (its most likely actions, or sampled ones), rebuilding exactly the env and network it was trained with.</summary>
public static class Evaluator
{
    /// <summary>Evaluates the checkpoint at <paramref name="checkpoint"/> (a checkpoint file, or a run folder holding one).</summary>
    /// <param name="registry">Where the checkpoint's env is registered.</param>
    /// <param name="checkpoint">A checkpoint file or a run folder.</param>
    /// <param name="settings">Episodes, seed and video; null for the defaults.</param>
    /// <param name="episodeEnded">Told of each episode as it ends (its index from 0); null for none.</param>
    /// <exception cref="ArgumentException">The checkpoint's env is not registered, or its network no longer fits the env.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt or predates the record of its env and network.</exception>
    /// <exception cref="IOException">The video's folder does not exist, or MP4 was asked for without ffmpeg on PATH.</exception>
    public static EvaluationOutcome Evaluate(EnvRegistry registry, string checkpoint, EvaluationSettings? settings = null, Action<int, EpisodeStatistics>? episodeEnded = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(checkpoint);
        settings ??= new EvaluationSettings();
        settings.Validate();
        if (settings.VideoPath is { } videoPath)
        {
            // A video that cannot be written is refused before any episode is played.
            VideoWriterFactory.Check(videoPath);
        }

        var path = Directory.Exists(checkpoint) ? RunFolder.CheckpointPath(checkpoint) : checkpoint;
        var metadata = CheckpointFile.ReadMetadata(path);
        if (metadata.Env is not { } env || metadata.Model is not { } model)
        {
            throw new InvalidDataException($"Checkpoint {path} does not record its env and network (it was written by an older Tempo); evaluate it with that version.");
        }

        if (!registry.Contains(env))
        {
            throw new ArgumentException(
                $"Checkpoint {path} was trained on {env}, which is not registered here. Register it before evaluating (the CLI: --env-assembly PATH to the assembly that registers it).");
        }

        var run = RunConfig.Resolve(registry, [ConfigLayer.Parse(metadata.Config, $"the config stored in {path}")]);
        return ActorCriticRecipes.Dispatch(registry, run, new Evaluation(path, metadata, run, model, settings, episodeEnded));
    }

    private sealed class Evaluation(string path, TrainingCheckpoint checkpoint, RunSettings run, ModelSpec saved, EvaluationSettings settings, Action<int, EpisodeStatistics>? episodeEnded)
        : IRecipeVisitor<EvaluationOutcome>
    {
        public EvaluationOutcome Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            using var env = recipe.MakeEnv();
            var spec = ModelSpec.For(recipe.Model, env.ObservationSpace, env.ActionSpace, saved.HiddenSizes);
            if (saved.Differences(spec) is { Count: > 0 } differences)
            {
                throw new ArgumentException($"Checkpoint {path} holds a {saved}, but {checkpoint.Env} now needs a {spec} (checkpoint vs now: {string.Join("; ", differences)}).");
            }

            var model = Load<TObservation, TAction>(spec, env.ObservationSpace, env.ActionSpace);
            if (env.TryFind<NormalizeObservation<TAction>>(out var normalizer))
            {
                // Evaluate with the statistics training ended with (env 0's), frozen.
                if (checkpoint.ObservationNormalizers.Count > 0)
                {
                    normalizer.SetState(checkpoint.ObservationNormalizers[0].ToState());
                }

                normalizer.UpdateStatistics = false;
            }

            IRenderable? renderable = null;
            if (settings.VideoPath is not null)
            {
                renderable = env.TryFind<IRenderable>(out var found)
                    ? found
                    : throw new ArgumentException($"{checkpoint.Env} cannot render frames, so no video can be recorded.");
            }

            var episodes = new List<EpisodeStatistics>(settings.Episodes);
            var observation = new TObservation[env.ObservationSpace.FlatSize];
            var action = new TAction[env.ActionSpace.FlatSize];
            Span<float> logProb = stackalloc float[1];
            Span<float> value = stackalloc float[1];
            using (var video = renderable is null ? null : VideoWriterFactory.Create(settings.VideoPath!, renderable.FrameWidth, renderable.FrameHeight, settings.FramesPerSecond))
            {
                var frame = renderable is null ? [] : new byte[renderable.FrameWidth * renderable.FrameHeight * 3];
                for (var episode = 0; episode < settings.Episodes; episode++)
                {
                    env.Reset(observation, settings.Seed + episode);
                    StepResult result;
                    do
                    {
                        if (episode == 0 && video is not null)
                        {
                            renderable!.Render(frame);
                            video.WriteFrame(frame);
                        }

                        model.Act(observation, 1, settings.Selection, action, logProb, value);
                        result = env.Step(action, observation);
                    }
                    while (!result.IsDone);

                    var statistics = result.Episode ?? throw new InvalidOperationException("The env stack records no episode statistics.");
                    episodes.Add(statistics);
                    episodeEnded?.Invoke(episode, statistics);
                }

                video?.Complete();
            }

            return new EvaluationOutcome(checkpoint.Env!, spec, checkpoint.PolicyVersion, checkpoint.GlobalStep, episodes, settings.VideoPath is null ? null : Path.GetFullPath(settings.VideoPath));
        }

        /// <summary>
        /// The checkpoint's policy: an actor-critic model loaded directly; another algorithm's policy loaded from its
        /// learner, whose parameters (target networks too) are what the file holds. The policy counts the steps training
        /// took, so sampled actions explore as training did at its end (DQN's final ε), not as at its start (all random).
        /// </summary>
        private IPolicy<TObservation, TAction> Load<TObservation, TAction>(ModelSpec spec, ISpace observationSpace, ISpace actionSpace)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            if (run.Algorithm is IActorCriticAlgorithm)
            {
                var model = spec.Create<TObservation, TAction>(observationSpace, new RandomSource(settings.Seed), parallelism: null);
                CheckpointFile.Load(path, model.NamedParameters);
                return model;
            }

            var learner = RunAgents.CreateLearner<TObservation, TAction>(run, spec, observationSpace, actionSpace, new RandomSource(settings.Seed), parallelism: null);
            CheckpointFile.Load(path, learner.Parameters);
            var policy = RunAgents.CreatePolicy<TObservation, TAction>(run, spec, observationSpace, actionSpace, new RandomSource(settings.Seed), parallelism: null, stepsTaken: checkpoint.GlobalStep);
            policy.Load(learner.Snapshot());
            return policy;
        }
    }
}

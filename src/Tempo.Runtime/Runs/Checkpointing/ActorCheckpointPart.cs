using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs.Checkpointing;

/// <summary>One actor's own state: its sampling stream and its envs' normalizer statistics, read where the actor is between steps.</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// Normalizers are saved env by env, actor after actor. A resumed run may have another number of actors or envs:
/// env <c>j</c> of the run (counted over all actors) takes the statistics of saved env <c>j mod saved</c>, so every env
/// starts from statistics learned on the same env, and a trained policy never sees unnormalized inputs.
/// </remarks>
/// <param name="key">The actor's stream key.</param>
/// <param name="random">The actor's sampling stream.</param>
/// <param name="envs">The actor's envs.</param>
/// <param name="firstEnv">The index of the actor's first env over the whole run.</param>
/// <param name="readBetweenSteps">Runs a read where the actor's state is consistent (the actor's safe point).</param>
/// <param name="streamRequired">Whether a checkpoint without this actor's stream is an error (the synchronous policy) or gives it a fresh one (an actor added on resume).</param>
internal sealed class ActorCheckpointPart<TObservation, TAction>(
    RandomStreamKey key,
    RandomSource random,
    IReadOnlyList<IEnv<TObservation, TAction>> envs,
    int firstEnv,
    Func<Func<ActorCheckpointPart<TObservation, TAction>.ActorState>, ActorCheckpointPart<TObservation, TAction>.ActorState> readBetweenSteps,
    bool streamRequired) : ICheckpointPart
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <inheritdoc/>
    public void Capture(CheckpointDraft draft)
    {
        var state = readBetweenSteps(() => new ActorState(
            random.GetState(),
            [.. envs.Select(e => e.TryFind<NormalizeObservation<TAction>>(out var n) ? NormalizerSnapshot.From(n.GetState()) : null).OfType<NormalizerSnapshot>()],
            [.. envs.Select(e => e.TryFind<NormalizeReward<TObservation, TAction>>(out var n) ? RewardNormalizerSnapshot.From(n.GetState()) : null).OfType<RewardNormalizerSnapshot>()]));
        draft.AddRandomState(key, state.Random);
        draft.ObservationNormalizers.AddRange(state.ObservationNormalizers);
        draft.RewardNormalizers.AddRange(state.RewardNormalizers);
    }

    /// <inheritdoc/>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        if (streamRequired || checkpoint.RandomStates.ContainsKey(key.Name))
        {
            random.SetState(checkpoint.RequireRandomState(key));
        }

        for (var i = 0; i < envs.Count; i++)
        {
            var run = firstEnv + i;
            if (envs[i].TryFind<NormalizeObservation<TAction>>(out var observation))
            {
                observation.SetState(Saved(checkpoint.ObservationNormalizers, run, "observation").ToState());
            }

            if (envs[i].TryFind<NormalizeReward<TObservation, TAction>>(out var reward))
            {
                reward.SetState(Saved(checkpoint.RewardNormalizers, run, "reward").ToState());
            }
        }
    }

    private static T Saved<T>(IReadOnlyList<T> saved, int env, string kind) =>
        saved.Count > 0
            ? saved[env % saved.Count]
            : throw new InvalidDataException($"The checkpoint holds no {kind} normalizer statistics, but this run's envs normalize {kind}s; was it written with another env?");

    /// <summary>An actor's state read at one step boundary.</summary>
    /// <param name="Random">Its sampling stream.</param>
    /// <param name="ObservationNormalizers">Its envs' observation normalizers, in env order.</param>
    /// <param name="RewardNormalizers">Its envs' reward normalizers, in env order.</param>
    internal sealed record ActorState(RandomSourceState Random, NormalizerSnapshot[] ObservationNormalizers, RewardNormalizerSnapshot[] RewardNormalizers);
}

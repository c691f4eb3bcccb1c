using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Cli.Training;

/// <summary>What the runs of <c>tempo train</c> share about checkpoints: whether one can be resumed with given settings, and the env-side state (normalizers) it carries.</summary>
internal static class RunCheckpoint
{
    /// <summary>Throws naming every mismatch unless <paramref name="checkpoint"/> (read from <paramref name="path"/>) was written by a run that <paramref name="settings"/> can continue.</summary>
    /// <remarks>
    /// The algorithm, the env and the network's hidden sizes must match: another algorithm would read weights and
    /// Adam moments trained for a different loss as if they were its own, and another env or network has other
    /// shapes. Other hyperparameters (learning rate, budget, actors, …) may change on resume.
    /// </remarks>
    /// <exception cref="ArgumentException">The checkpoint's run and these settings differ in algorithm, env or network shape.</exception>
    public static void RequireResumable(TrainingCheckpoint checkpoint, string path, TrainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(settings);
        var recorded = TrainConfigFile.Parse(checkpoint.Config, $"the config stored in {path}", settings);
        var mismatches = new List<string>();
        if (recorded.Algo != settings.Algo)
        {
            mismatches.Add($"algo: the checkpoint was trained with {Name(recorded.Algo)}, this run asks for {Name(settings.Algo)} (--algo)");
        }

        if (!string.Equals(recorded.Env, settings.Env, StringComparison.Ordinal))
        {
            mismatches.Add($"env: the checkpoint was trained on {recorded.Env}, this run asks for {settings.Env} (--env)");
        }

        if (!recorded.Ppo.HiddenSizes.SequenceEqual(settings.Ppo.HiddenSizes))
        {
            mismatches.Add($"model shape: the checkpoint's hidden sizes are [{string.Join(", ", recorded.Ppo.HiddenSizes)}], this run asks for [{string.Join(", ", settings.Ppo.HiddenSizes)}] (--hidden-sizes)");
        }

        if (mismatches.Count > 0)
        {
            throw new ArgumentException($"Cannot resume from {path}: {string.Join("; ", mismatches)}. Resume with the checkpoint's settings or start a new run in another folder.");
        }
    }

    /// <summary>The random state named <paramref name="name"/>; throws if the checkpoint has none (it was written by another kind of run).</summary>
    /// <exception cref="InvalidDataException">The checkpoint holds no such state.</exception>
    public static RandomSourceState RequireRandomState(TrainingCheckpoint checkpoint, string name)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.RandomStates.TryGetValue(name, out var state)
            ? state
            : throw new InvalidDataException($"The checkpoint has no '{name}' random state (it holds {string.Join(", ", checkpoint.RandomStates.Keys.Select(k => $"'{k}'"))}); it was written by another kind of run.");
    }

    /// <summary>The observation normalizer statistics of each of <paramref name="envs"/> that has one, in order.</summary>
    public static NormalizerSnapshot[] ObservationNormalizers<TObservation, TAction>(IEnumerable<IEnv<TObservation, TAction>> envs)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        [.. envs.Select(e => e.TryFind<NormalizeObservation<TAction>>(out var n) ? NormalizerSnapshot.From(n.GetState()) : null).OfType<NormalizerSnapshot>()];

    /// <summary>The reward normalizer state of each of <paramref name="envs"/> that has one, in order.</summary>
    public static RewardNormalizerSnapshot[] RewardNormalizers<TObservation, TAction>(IEnumerable<IEnv<TObservation, TAction>> envs)
        where TObservation : unmanaged
        where TAction : unmanaged =>
        [.. envs.Select(e => e.TryFind<NormalizeReward<TObservation, TAction>>(out var n) ? RewardNormalizerSnapshot.From(n.GetState()) : null).OfType<RewardNormalizerSnapshot>()];

    /// <summary>Restores the normalizers of <paramref name="envs"/> (in the order they were saved) from <paramref name="checkpoint"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint holds another number of normalizers than the envs have.</exception>
    public static void RestoreNormalizers<TObservation, TAction>(IReadOnlyList<IEnv<TObservation, TAction>> envs, TrainingCheckpoint checkpoint)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var observation = envs.Select(e => e.TryFind<NormalizeObservation<TAction>>(out var n) ? n : null).OfType<NormalizeObservation<TAction>>().ToArray();
        var reward = envs.Select(e => e.TryFind<NormalizeReward<TObservation, TAction>>(out var n) ? n : null).OfType<NormalizeReward<TObservation, TAction>>().ToArray();
        if (observation.Length != checkpoint.ObservationNormalizers.Count || reward.Length != checkpoint.RewardNormalizers.Count)
        {
            throw new InvalidDataException(
                $"The checkpoint holds {checkpoint.ObservationNormalizers.Count} observation and {checkpoint.RewardNormalizers.Count} reward normalizers; "
                + $"this run has {observation.Length} and {reward.Length}. Was it written with another env, num-envs or num-actors?");
        }

        for (var i = 0; i < observation.Length; i++)
        {
            observation[i].SetState(checkpoint.ObservationNormalizers[i].ToState());
        }

        for (var i = 0; i < reward.Length; i++)
        {
            reward[i].SetState(checkpoint.RewardNormalizers[i].ToState());
        }
    }

    private static string Name(TrainAlgorithm algorithm) => algorithm switch
    {
        TrainAlgorithm.Ppo => "ppo",
        TrainAlgorithm.Appo => "appo",
        TrainAlgorithm.Impala => "impala",
        _ => algorithm.ToString(),
    };
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Envs;

namespace Tempo.Core.Vector;

/// <summary>The batched outputs of a vector env: observations, rewards, end flags, and final observations of envs that ended.</summary>
/// <typeparam name="TObservation">Observation element.</typeparam>
/// <remarks>
/// The caller creates one instance (usually with <see cref="IVectorEnv{TObservation, TAction}.CreateBuffers"/>) and passes it
/// to every <c>Reset</c> and <c>Step</c>; the vector overwrites it in place, so a step allocates nothing. Everything read
/// from it is valid until the next call. The buffers own their arrays, which lets worker threads write into them.
/// </remarks>
public sealed class VectorStepBuffers<TObservation>
    where TObservation : unmanaged
{
    private readonly TObservation[] _observations;
    private readonly TObservation[] _finalObservations;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly EpisodeStatistics?[] _finalEpisodes;

    /// <summary>Creates buffers for <paramref name="numEnvs"/> envs whose observations have <paramref name="observationSize"/> elements.</summary>
    public VectorStepBuffers(int numEnvs, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEnvs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        var total = checked(numEnvs * observationSize);
        _observations = new TObservation[total];
        _finalObservations = new TObservation[total];
        _rewards = new float[numEnvs];
        _terminated = new bool[numEnvs];
        _truncated = new bool[numEnvs];
        _finalEpisodes = new EpisodeStatistics?[numEnvs];
    }

    /// <summary>The number of envs the buffers hold.</summary>
    public int NumEnvs { get; }

    /// <summary>The number of elements in one env's observation.</summary>
    public int ObservationSize { get; }

    /// <summary>The batch observation, <c>NumEnvs × ObservationSize</c> elements, env 0 first; writable so that callers may transform it in place.</summary>
    public Span<TObservation> Observations => _observations;

    /// <summary>The reward each env received on the last step (zero after a reset).</summary>
    public ReadOnlySpan<float> Rewards => _rewards;

    /// <summary>Which envs reached a terminal state on the last step.</summary>
    public ReadOnlySpan<bool> Terminated => _terminated;

    /// <summary>Which envs were cut off (time limit, crash) on the last step.</summary>
    public ReadOnlySpan<bool> Truncated => _truncated;

    /// <summary>The observation of env <paramref name="envIndex"/> in the batch.</summary>
    public Span<TObservation> Observation(int envIndex)
    {
        RequireIndex(envIndex);
        return ObservationSlot(envIndex);
    }

    /// <summary>Whether env <paramref name="envIndex"/> ended on the last step, so that its final observation is available.</summary>
    public bool HasFinal(int envIndex)
    {
        RequireIndex(envIndex);
        return _terminated[envIndex] || _truncated[envIndex];
    }

    /// <summary>The last observation of the episode env <paramref name="envIndex"/> finished on the last step, before its autoreset.</summary>
    /// <exception cref="InvalidOperationException">The env did not end on the last step.</exception>
    public ReadOnlySpan<TObservation> FinalObservation(int envIndex)
    {
        if (!HasFinal(envIndex))
        {
            ThrowNoFinal(envIndex);
        }

        return FinalObservationSlot(envIndex);
    }

    /// <summary>Statistics of the episode env <paramref name="envIndex"/> finished on the last step; null when it did not end or its wrapper stack records none.</summary>
    public EpisodeStatistics? FinalEpisode(int envIndex)
    {
        RequireIndex(envIndex);
        return _finalEpisodes[envIndex];
    }

    internal Span<TObservation> ObservationSlot(int envIndex) => _observations.AsSpan(envIndex * ObservationSize, ObservationSize);

    internal Span<TObservation> FinalObservationSlot(int envIndex) => _finalObservations.AsSpan(envIndex * ObservationSize, ObservationSize);

    internal void Record(int envIndex, in StepResult result)
    {
        _rewards[envIndex] = result.Reward;
        _terminated[envIndex] = result.Terminated;
        _truncated[envIndex] = result.Truncated;
        _finalEpisodes[envIndex] = result.IsDone ? result.Episode : null;
    }

    internal void ClearStep(int envIndex) => Record(envIndex, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RequireIndex(int envIndex)
    {
        if ((uint)envIndex >= (uint)NumEnvs)
        {
            ThrowIndexOutOfRange(envIndex);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIndexOutOfRange(int envIndex) =>
        throw new ArgumentOutOfRangeException(nameof(envIndex), envIndex, $"The buffers hold {NumEnvs} envs; the index must be in [0, {NumEnvs}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoFinal(int envIndex) =>
        throw new InvalidOperationException($"Env {envIndex} did not end on the last step, so it has no final observation; check HasFinal first.");
}

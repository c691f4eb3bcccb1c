using System.Runtime.CompilerServices;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Nn.Kernels;
using Tempo.Runtime.Actors;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.TestDoubles;

/// <summary>Real segments (CartPole-v1 for the MLP, small Catch-v0 frames for the CNN) and the allocation bound the learner-update tests hold.</summary>
internal static class SteadyStateRollouts
{
    public const int Envs = 4;
    public const int CatchFrameSize = 36;
    public const int CatchHiddenSize = 64;

    /// <summary>Updates run before counting: the first ones size every buffer.</summary>
    public const int WarmUpUpdates = 3;

    public const int MeasuredUpdates = 5;

    /// <summary>
    /// What an update may allocate: the statistics object it returns (another change makes learner statistics
    /// allocation-free, after which this is 0). Measured, not assumed, so it follows the type.
    /// </summary>
    public static long StatisticsObjectBytes { get; } = MeasureStatisticsObject();

    /// <summary>A CleanRL-shaped CartPole model on <paramref name="parallelism"/>.</summary>
    public static CategoricalMlpActorCritic Mlp(int seed, KernelParallelism parallelism) =>
        new(4, 2, [64, 64], new RandomSource(seed)) { Parallelism = parallelism };

    /// <summary>A Nature CNN over small Catch frames on <paramref name="parallelism"/>.</summary>
    public static CategoricalCnnActorCritic Cnn(int seed, KernelParallelism parallelism) =>
        new(1, CatchFrameSize, CatchFrameSize, 3, new RandomSource(seed), CatchHiddenSize, parallelism);

    /// <summary>One segment of <paramref name="steps"/> steps from <see cref="Envs"/> CartPole-v1 envs acted on by a fresh MLP.</summary>
    public static Segment<float, int> CartPole(int steps)
    {
        var registry = EnvRegistry.CreateDefault();
        using var parallelism = new KernelParallelism(1);
        return Collect(() => new RecordEpisodeStatistics<float, int>(registry.Make<float, int>("CartPole-v1")), Mlp(1, parallelism), steps);
    }

    /// <summary>One segment of <paramref name="steps"/> steps from <see cref="Envs"/> Catch-v0 envs (small frames) acted on by a fresh CNN.</summary>
    public static Segment<byte, int> Catch(int steps)
    {
        var registry = EnvRegistry.CreateDefault();
        var frames = new CatchOptions { FrameHeight = CatchFrameSize, FrameWidth = CatchFrameSize };
        using var parallelism = new KernelParallelism(1);
        return Collect(() => new RecordEpisodeStatistics<byte, int>(registry.Make<byte, int>("Catch-v0", frames)), Cnn(1, parallelism), steps);
    }

    /// <summary>Bytes the calling thread allocates per update once warm, on the same segments every time.</summary>
    public static long BytesPerUpdate<TObservation>(ILearner<TObservation, int> learner, Segment<TObservation, int> segment)
        where TObservation : unmanaged
    {
        Segment<TObservation, int>[] segments = [segment];
        return Allocations.OnThisThread(() => learner.Update(segments), WarmUpUpdates, MeasuredUpdates) / MeasuredUpdates;
    }

    private static Segment<TObservation, int> Collect<TObservation>(Func<IEnv<TObservation, int>> makeEnv, IActorCritic<TObservation, int> policy, int steps)
        where TObservation : unmanaged
    {
        using var envs = new SyncVectorEnv<TObservation, int>([makeEnv(), makeEnv(), makeEnv(), makeEnv()]);
        var actor = new Actor<TObservation, int>(new ActorId(0), envs, policy);
        actor.Start(seed: 11);
        var segment = new Segment<TObservation, int>(actor.LayoutFor(steps));
        actor.Collect(segment);
        return segment;
    }

    private static long MeasureStatisticsObject()
    {
        // The warm-up call lets the runtime set up its own caches for the type.
        object? kept = null;
        var bytes = Allocations.OnThisThread(() => kept = RuntimeHelpers.GetUninitializedObject(typeof(LearnerStatistics)), warmUp: 1, repetitions: 1);
        GC.KeepAlive(kept);
        return bytes;
    }
}

using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Nn.Kernels;

namespace Tempo.Cli.Training;

/// <summary>How to build one env of a run (with its wrapper stack) and its actor-critic model.</summary>
/// <param name="MakeEnv">Makes one env with the recipe's wrappers (episode statistics innermost).</param>
/// <param name="ModelFactory">Makes a model for the env's spaces from a random source, its kernels on the given threads (null: the calling thread).</param>
/// <param name="KernelThreads">Threads a learner's minibatches may use: 2 for the MLPs, which run the actor's and the critic's passes at once, and for the CNN, whose convolutions split by image.</param>
internal sealed record PpoRecipe<TObservation, TAction>(
    Func<IEnv<TObservation, TAction>> MakeEnv,
    Func<IEnv<TObservation, TAction>, Random, KernelParallelism?, IActorCritic<TObservation, TAction>> ModelFactory,
    int KernelThreads = 1)
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Makes a model for <paramref name="env"/>'s spaces; <paramref name="parallelism"/> lends it threads (one caller at a time).</summary>
    public IActorCritic<TObservation, TAction> MakeModel(IEnv<TObservation, TAction> env, Random random, KernelParallelism? parallelism = null) =>
        ModelFactory(env, random, parallelism);
}

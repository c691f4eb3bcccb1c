using Tempo.Core.Envs;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>How a run makes its envs (with the recipe's wrappers) and which network it trains on them.</summary>
/// <typeparam name="TObservation">The observation element type.</typeparam>
/// <typeparam name="TAction">The action element type.</typeparam>
/// <param name="Model">The architecture for the env's observations and actions.</param>
/// <param name="MakeEnv">Makes one env with the recipe's wrappers (episode statistics innermost).</param>
/// <param name="KernelThreads">Threads a learner's update may use: 2 for the MLPs, which run the actor's and the critic's passes at once, and for the CNN, whose convolutions split by image.</param>
public sealed record ActorCriticRecipe<TObservation, TAction>(ModelKind Model, Func<IEnv<TObservation, TAction>> MakeEnv, int KernelThreads)
    where TObservation : unmanaged
    where TAction : unmanaged;

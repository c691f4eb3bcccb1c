using Tempo.Algorithms.Models;
using Tempo.Core.Envs;

namespace Tempo.Cli.Training;

/// <summary>How to build one env of a run (with its wrapper stack) and its actor-critic model.</summary>
/// <param name="MakeEnv">Makes one env with the recipe's wrappers (episode statistics innermost).</param>
/// <param name="MakeModel">Makes a model for the env's spaces from a random source.</param>
internal sealed record PpoRecipe<TObservation, TAction>(
    Func<IEnv<TObservation, TAction>> MakeEnv,
    Func<IEnv<TObservation, TAction>, Random, IActorCritic<TObservation, TAction>> MakeModel)
    where TObservation : unmanaged
    where TAction : unmanaged;

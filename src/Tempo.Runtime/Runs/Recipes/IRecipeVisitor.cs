namespace Tempo.Runtime.Runs.Recipes;

/// <summary>Work done with a recipe whose element types are only known once the env is (training, evaluation).</summary>
/// <typeparam name="TResult">What the work returns.</typeparam>
internal interface IRecipeVisitor<out TResult>
{
    /// <summary>Does the work with the typed recipe.</summary>
    TResult Visit<TObservation, TAction>(ActorCriticRecipe<TObservation, TAction> recipe)
        where TObservation : unmanaged
        where TAction : unmanaged;
}

namespace Tempo.Cli.Training;

/// <summary>Something done with a recipe whose element types are only known at run time (train, evaluate).</summary>
internal interface IPpoRecipeVisitor<out TResult>
{
    /// <summary>Does the work with the typed recipe.</summary>
    TResult Visit<TObservation, TAction>(PpoRecipe<TObservation, TAction> recipe)
        where TObservation : unmanaged
        where TAction : unmanaged;
}

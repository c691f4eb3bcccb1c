namespace Tempo.Core.Envs;

/// <summary>An env whose Step can be split in two: hand the action over, then wait for its result (Gymnasium's <c>step_async</c> / <c>step_wait</c>).</summary>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
/// <remarks>
/// <see cref="Submit"/> followed by <see cref="Wait"/> does exactly what one Step does. In between, the caller may
/// submit to other envs: a vector of live envs hands every action over first and then waits, so each world
/// gets its action within one period whatever the count. Each Submit is followed by exactly one Wait, with no
/// other call on the env in between. Wrappers implement this interface; those whose work is a pure transform
/// before or after the step forward it, the others cannot (<see cref="CanSplitStep"/> is false).
/// </remarks>
public interface ISplitStepping<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    /// <summary>Whether <see cref="Submit"/> and <see cref="Wait"/> are supported by the whole wrapper stack.</summary>
    bool CanSplitStep { get; }

    /// <summary>Hands <paramref name="action"/> to the env without waiting for its result; the first half of Step.</summary>
    /// <param name="action">The action, <c>ActionSpace.FlatSize</c> elements.</param>
    void Submit(ReadOnlySpan<TAction> action);

    /// <summary>Waits for the result of the submitted action and writes the next observation; the last half of Step.</summary>
    /// <param name="observation">Receives the next observation.</param>
    StepResult Wait(Span<TObservation> observation);
}

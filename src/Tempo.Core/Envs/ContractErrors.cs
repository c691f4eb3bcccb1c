using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Spaces;

namespace Tempo.Core.Envs;

/// <summary>Checks of the env contract, with the throws kept out of the callers' hot paths.</summary>
internal static class ContractErrors
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireObservationLength(int length, ISpace space)
    {
        if (length != space.FlatSize)
        {
            WrongObservationLength(length, space, "observation");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireValidAction<TAction>(ReadOnlySpan<TAction> action, Space<TAction> space, bool clippedByEnv)
        where TAction : unmanaged
    {
        if (action.Length != space.FlatSize)
        {
            WrongActionLength(action.Length, space, nameof(action));
        }

        if (clippedByEnv)
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<TAction, float>(action);
            foreach (var x in values)
            {
                if (float.IsNaN(x))
                {
                    ActionIsNaN(space, nameof(action));
                }
            }
        }
        else if (!space.Contains(action))
        {
            ActionOutsideSpace(action.ToArray(), space, nameof(action));
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void StepNotAllowed(EpisodePhase phase, StepResult last, object env)
    {
        switch (phase)
        {
            case EpisodePhase.NeverReset:
                throw new InvalidOperationException($"{env.GetType().Name}: Step called before Reset; call Reset first.");
            case EpisodePhase.Disposed:
                throw new ObjectDisposedException(env.GetType().Name);
            default:
                throw new InvalidOperationException(
                    $"{env.GetType().Name}: Step called after the episode ended (terminated={last.Terminated}, truncated={last.Truncated}); call Reset first.");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WrongObservationLength(int length, ISpace space, string paramName) =>
        throw new ArgumentException($"The observation buffer has {length} elements; the observation space {space} needs {space.FlatSize}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WrongActionLength(int length, ISpace space, string paramName) =>
        throw new ArgumentException($"The action has {length} elements; the action space {space} needs {space.FlatSize}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ActionIsNaN(ISpace space, string paramName) =>
        throw new ArgumentException($"The action contains NaN; the action space is {space}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ActionOutsideSpace<TAction>(TAction[] action, ISpace space, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, $"[{string.Join(", ", action)}]", $"The action is not in the action space {space}.");
}

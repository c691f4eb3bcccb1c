using System.Diagnostics.CodeAnalysis;

namespace Tempo.Core.Envs.Classic;

/// <summary>Checks the buffer lengths given to <see cref="IPhysicalState"/>.</summary>
internal static class StateBuffers
{
    /// <summary>Throws unless the state and observation buffers have the env's lengths.</summary>
    public static void Require(int stateLength, int expectedState, int observationLength, int expectedObservation, object env)
    {
        RequireState(stateLength, expectedState, env);
        if (observationLength != expectedObservation)
        {
            Throw($"{env.GetType().Name} observations have {expectedObservation} elements; the buffer has {observationLength}.", "observation");
        }
    }

    /// <summary>Throws unless the state buffer has the env's number of state variables.</summary>
    public static void RequireState(int stateLength, int expectedState, object env)
    {
        if (stateLength != expectedState)
        {
            Throw($"{env.GetType().Name} has {expectedState} state variables; got {stateLength}.", "state");
        }
    }

    [DoesNotReturn]
    private static void Throw(string message, string parameterName) => throw new ArgumentException(message, parameterName);
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Core.Envs.Classic;

/// <summary>The check every classic-control <c>Render</c> makes before drawing.</summary>
internal static class RenderGuard
{
    /// <summary>Throws unless the env has a state to draw (Gymnasium returns nothing before the first reset).</summary>
    public static void RequireState(bool hasState, object env)
    {
        if (!hasState)
        {
            ThrowNoState(env);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoState(object env) =>
        throw new InvalidOperationException($"{env.GetType().Name}: Render called before Reset; there is no state to draw.");
}

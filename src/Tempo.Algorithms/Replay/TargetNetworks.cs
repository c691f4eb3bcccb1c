using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Replay;

/// <summary>Target networks of the replay learners (DQN's Q-network, SAC's critics): paired with their online networks parameter by parameter, and moved towards them.</summary>
internal static class TargetNetworks
{
    /// <summary>The parameters of <paramref name="online"/> and <paramref name="target"/>, in the same order.</summary>
    /// <exception cref="ArgumentException">The target's parameters differ from the online network's.</exception>
    public static (Parameter[] Online, Parameter[] Target) Pair(Module online, Module target)
    {
        Parameter[] from = [.. online.Parameters()];
        Parameter[] to = [.. target.Parameters()];
        if (from.Length != to.Length || from.Zip(to).Any(p => p.First.Value.Length != p.Second.Value.Length))
        {
            throw new ArgumentException("A target network must have its online network's architecture (the same parameters in the same order).");
        }

        return (from, to);
    }

    /// <summary>target ← τ · online + (1 − τ) · target, as the CleanRL scripts' loop over both networks' parameters.</summary>
    public static void Update((Parameter[] Online, Parameter[] Target) pair, double tau)
    {
        var t = (float)tau;
        for (var p = 0; p < pair.Online.Length; p++)
        {
            var s = pair.Online[p].Value.Span;
            var d = pair.Target[p].Value.Span;
            for (var i = 0; i < s.Length; i++)
            {
                d[i] = (t * s[i]) + ((1f - t) * d[i]);
            }
        }
    }
}

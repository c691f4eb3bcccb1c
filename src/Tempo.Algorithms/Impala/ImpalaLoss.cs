namespace Tempo.Algorithms.Impala;

/// <summary>IMPALA's actor-critic loss on V-trace targets (Espeholt et al. 2018, section 4.2) and its per-sample gradients.</summary>
/// <remarks>
/// loss = −mean(A_s · log π(a_s | x_s)) + c_b · 0.5 · mean((v_s − V(x_s))²) − c_e · mean(H(π(· | x_s))), where
/// A_s = ρ_s (r_s + γ_s v_{s+1} − V(x_s)) already carries V-trace's clipped importance weight ρ_s and, like v_s, is a
/// constant of the loss. Means over the batch, as RLlib and Sample Factory take them; the paper's implementation
/// sums, which only rescales the gradient (Adam is nearly invariant to that; gradient clipping is not).
/// </remarks>
public static class ImpalaLoss
{
    /// <summary>Computes the loss terms and the gradients of the total loss with respect to log π, the entropy and V.</summary>
    /// <param name="logProbs">log π(a_s | x_s) under the current parameters, <c>[B]</c>.</param>
    /// <param name="entropy">Per-sample policy entropy, <c>[B]</c>.</param>
    /// <param name="values">V(x_s) under the current parameters, <c>[B]</c>.</param>
    /// <param name="vs">V-trace value targets v_s, <c>[B]</c>.</param>
    /// <param name="policyGradientAdvantages">V-trace policy-gradient advantages A_s, <c>[B]</c>.</param>
    /// <param name="baselineCoef">Baseline loss coefficient c_b.</param>
    /// <param name="entCoef">Entropy bonus coefficient c_e.</param>
    /// <param name="logProbGradients">Receives ∂loss/∂logProbs.</param>
    /// <param name="entropyGradients">Receives ∂loss/∂entropy.</param>
    /// <param name="valueGradients">Receives ∂loss/∂values.</param>
    public static ImpalaLossTerms Compute(
        ReadOnlySpan<float> logProbs,
        ReadOnlySpan<float> entropy,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> vs,
        ReadOnlySpan<float> policyGradientAdvantages,
        float baselineCoef,
        float entCoef,
        Span<float> logProbGradients,
        Span<float> entropyGradients,
        Span<float> valueGradients)
    {
        var batch = logProbs.Length;
        ArgumentOutOfRangeException.ThrowIfZero(batch, nameof(logProbs));
        RequireLength(entropy.Length, batch, nameof(entropy));
        RequireLength(values.Length, batch, nameof(values));
        RequireLength(vs.Length, batch, nameof(vs));
        RequireLength(policyGradientAdvantages.Length, batch, nameof(policyGradientAdvantages));
        RequireLength(logProbGradients.Length, batch, nameof(logProbGradients));
        RequireLength(entropyGradients.Length, batch, nameof(entropyGradients));
        RequireLength(valueGradients.Length, batch, nameof(valueGradients));

        var inverseBatch = 1f / batch;
        double policyLoss = 0, baselineLoss = 0, entropySum = 0;
        for (var i = 0; i < batch; i++)
        {
            var advantage = policyGradientAdvantages[i];
            policyLoss -= advantage * logProbs[i];
            logProbGradients[i] = -advantage * inverseBatch;

            var error = values[i] - vs[i];
            baselineLoss += error * error;
            valueGradients[i] = baselineCoef * error * inverseBatch;

            entropySum += entropy[i];
            entropyGradients[i] = -entCoef * inverseBatch;
        }

        policyLoss /= batch;
        baselineLoss = 0.5 * baselineLoss / batch;
        var meanEntropy = entropySum / batch;
        var loss = policyLoss + (baselineCoef * baselineLoss) - (entCoef * meanEntropy);
        return new ImpalaLossTerms(loss, policyLoss, baselineLoss, meanEntropy);
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements; the batch has {expected}.", name);
        }
    }
}

namespace Tempo.Algorithms.Ppo;

/// <summary>PPO's clipped-surrogate loss (Schulman et al. 2017, eq. 7 and 9) and its gradients, as CleanRL computes them.</summary>
/// <remarks>
/// Works on per-sample quantities so that it knows nothing of the network or the action distribution:
/// the caller supplies new log-probabilities, entropies and values, and gets back ∂loss/∂ of each, which it
/// back-propagates through its distribution and network. Where PyTorch's <c>max</c> meets a tie it splits the
/// gradient evenly between both arguments; so does this code, which makes gradients match PyTorch exactly.
/// </remarks>
public static class PpoLoss
{
    /// <summary>Computes the loss terms and the gradients of the total loss.</summary>
    /// <param name="newLogProbs">log π_θ(a | s) under the current parameters, <c>[B]</c>.</param>
    /// <param name="oldLogProbs">log π_old(a | s) recorded when acting, <c>[B]</c>.</param>
    /// <param name="advantages">Advantages, already normalized if the recipe normalizes them, <c>[B]</c>.</param>
    /// <param name="entropy">Per-sample policy entropy, <c>[B]</c>.</param>
    /// <param name="newValues">V_θ(s), <c>[B]</c>.</param>
    /// <param name="oldValues">V(s) recorded when acting (for value clipping), <c>[B]</c>.</param>
    /// <param name="returns">Value targets, <c>[B]</c>.</param>
    /// <param name="coefficients">ε, entropy and value coefficients, value clipping.</param>
    /// <param name="logProbGradients">Receives ∂loss/∂newLogProbs.</param>
    /// <param name="entropyGradients">Receives ∂loss/∂entropy.</param>
    /// <param name="valueGradients">Receives ∂loss/∂newValues.</param>
    public static PpoLossTerms Compute(
        ReadOnlySpan<float> newLogProbs,
        ReadOnlySpan<float> oldLogProbs,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> entropy,
        ReadOnlySpan<float> newValues,
        ReadOnlySpan<float> oldValues,
        ReadOnlySpan<float> returns,
        PpoLossCoefficients coefficients,
        Span<float> logProbGradients,
        Span<float> entropyGradients,
        Span<float> valueGradients)
    {
        var batch = newLogProbs.Length;
        ArgumentOutOfRangeException.ThrowIfZero(batch, nameof(newLogProbs));
        RequireLength(oldLogProbs.Length, batch, nameof(oldLogProbs));
        RequireLength(advantages.Length, batch, nameof(advantages));
        RequireLength(entropy.Length, batch, nameof(entropy));
        RequireLength(newValues.Length, batch, nameof(newValues));
        RequireLength(oldValues.Length, batch, nameof(oldValues));
        RequireLength(returns.Length, batch, nameof(returns));
        RequireLength(logProbGradients.Length, batch, nameof(logProbGradients));
        RequireLength(entropyGradients.Length, batch, nameof(entropyGradients));
        RequireLength(valueGradients.Length, batch, nameof(valueGradients));

        var clip = coefficients.ClipCoef;
        var inverseBatch = 1f / batch;
        double policyLoss = 0, valueLoss = 0, entropySum = 0, approxKl = 0, oldApproxKl = 0;
        var clipped = 0;
        for (var i = 0; i < batch; i++)
        {
            var logRatio = newLogProbs[i] - oldLogProbs[i];
            var ratio = MathF.Exp(logRatio);
            oldApproxKl -= logRatio;
            approxKl += ratio - 1f - logRatio;
            if (MathF.Abs(ratio - 1f) > clip)
            {
                clipped++;
            }

            // pg_loss = max(−A·r, −A·clamp(r, 1 − ε, 1 + ε)).
            var advantage = advantages[i];
            var clampedRatio = Math.Clamp(ratio, 1f - clip, 1f + clip);
            var unclippedTerm = -advantage * ratio;
            var clippedTerm = -advantage * clampedRatio;
            policyLoss += MathF.Max(unclippedTerm, clippedTerm);
            var ratioInside = ratio >= 1f - clip && ratio <= 1f + clip;
            var ratioGradient = unclippedTerm > clippedTerm ? -advantage
                : unclippedTerm < clippedTerm ? (ratioInside ? -advantage : 0f)
                : 0.5f * (-advantage + (ratioInside ? -advantage : 0f));
            logProbGradients[i] = ratioGradient * ratio * inverseBatch;

            entropySum += entropy[i];
            entropyGradients[i] = -coefficients.EntCoef * inverseBatch;

            var value = newValues[i];
            var error = value - returns[i];
            var unclippedSquare = error * error;
            float valueGradient;
            if (coefficients.ClipVloss)
            {
                // v_clipped = V_old + clamp(V − V_old, −ε, ε); loss = 0.5 · max((V − R)², (v_clipped − R)²).
                var offset = value - oldValues[i];
                var clippedValue = oldValues[i] + Math.Clamp(offset, -clip, clip);
                var clippedError = clippedValue - returns[i];
                var clippedSquare = clippedError * clippedError;
                valueLoss += MathF.Max(unclippedSquare, clippedSquare);
                var unclippedGradient = 2f * error;
                var clippedGradient = offset >= -clip && offset <= clip ? 2f * clippedError : 0f;
                valueGradient = unclippedSquare > clippedSquare ? unclippedGradient
                    : unclippedSquare < clippedSquare ? clippedGradient
                    : 0.5f * (unclippedGradient + clippedGradient);
            }
            else
            {
                valueLoss += unclippedSquare;
                valueGradient = 2f * error;
            }

            valueGradients[i] = coefficients.VfCoef * 0.5f * valueGradient * inverseBatch;
        }

        policyLoss /= batch;
        valueLoss = 0.5 * valueLoss / batch;
        var meanEntropy = entropySum / batch;
        var loss = policyLoss - (coefficients.EntCoef * meanEntropy) + (coefficients.VfCoef * valueLoss);
        return new PpoLossTerms(loss, policyLoss, valueLoss, meanEntropy, approxKl / batch, oldApproxKl / batch, (double)clipped / batch);
    }

    /// <summary>Normalizes advantages to zero mean and unit (unbiased, as <c>torch.std</c>) standard deviation, plus 1e-8.</summary>
    public static void NormalizeAdvantages(ReadOnlySpan<float> advantages, Span<float> normalized)
    {
        RequireLength(normalized.Length, advantages.Length, nameof(normalized));
        var count = advantages.Length;
        if (count == 0)
        {
            return;
        }

        double sum = 0;
        foreach (var a in advantages)
        {
            sum += a;
        }

        var mean = sum / count;
        double squares = 0;
        foreach (var a in advantages)
        {
            squares += (a - mean) * (a - mean);
        }

        // A minibatch of one has no spread; torch returns NaN there, we keep the advantages centred instead.
        var std = count > 1 ? Math.Sqrt(squares / (count - 1)) : 0.0;
        var scale = (float)(1.0 / (std + 1e-8));
        var shift = (float)mean;
        for (var i = 0; i < count; i++)
        {
            normalized[i] = (advantages[i] - shift) * scale;
        }
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements; the minibatch has {expected}.", name);
        }
    }
}

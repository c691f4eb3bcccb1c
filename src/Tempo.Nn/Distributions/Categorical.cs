using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Nn.Distributions;

/// <summary>A batch of categorical distributions given by unnormalized logits, row-major <c>[batch, categoryCount]</c>.</summary>
/// <remarks>
/// Matches <c>torch.distributions.Categorical(logits=…)</c>: logits are normalized with a numerically stable
/// log-softmax (the row maximum is subtracted before exponentiating). There is no autograd, so
/// <see cref="Backward"/> gives the gradient with respect to the logits explicitly. Nothing here allocates.
/// </remarks>
public static class Categorical
{
    /// <summary>Writes the normalized log-probabilities (log-softmax of each row) into <paramref name="logProbabilities"/>.</summary>
    public static void LogProbabilities(ReadOnlySpan<float> logits, int categoryCount, Span<float> logProbabilities)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(logProbabilities.Length, batch * categoryCount, nameof(logProbabilities));
        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            var logSumExp = LogSumExp(rowLogits);
            var output = logProbabilities.Slice(row * categoryCount, categoryCount);
            for (var i = 0; i < categoryCount; i++)
            {
                output[i] = rowLogits[i] - logSumExp;
            }
        }
    }

    /// <summary>Writes the probabilities (softmax of each row) into <paramref name="probabilities"/>.</summary>
    public static void Probabilities(ReadOnlySpan<float> logits, int categoryCount, Span<float> probabilities)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(probabilities.Length, batch * categoryCount, nameof(probabilities));
        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            var logSumExp = LogSumExp(rowLogits);
            var output = probabilities.Slice(row * categoryCount, categoryCount);
            for (var i = 0; i < categoryCount; i++)
            {
                output[i] = MathF.Exp(rowLogits[i] - logSumExp);
            }
        }
    }

    /// <summary>Draws one category per row into <paramref name="actions"/> by inverting the cumulative distribution with one uniform draw per row.</summary>
    /// <exception cref="ArgumentException">A row has no positive, finite total probability (NaN or all −∞ logits).</exception>
    public static void Sample(ReadOnlySpan<float> logits, int categoryCount, Random random, Span<int> actions)
    {
        ArgumentNullException.ThrowIfNull(random);
        var batch = BatchSize(logits, categoryCount);
        RequireLength(actions.Length, batch, nameof(actions));
        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            var max = Max(rowLogits);
            double total = 0;
            var lastPossible = -1;
            for (var i = 0; i < categoryCount; i++)
            {
                var weight = Math.Exp(rowLogits[i] - max);
                if (weight > 0)
                {
                    lastPossible = i;
                }

                total += weight;
            }

            if (!(total > 0) || double.IsInfinity(total))
            {
                ThrowNoProbabilityMass(nameof(logits), row, max);
            }

            var threshold = random.NextDouble() * total;
            var action = lastPossible;
            double cumulative = 0;
            for (var i = 0; i < lastPossible; i++)
            {
                cumulative += Math.Exp(rowLogits[i] - max);
                if (threshold < cumulative)
                {
                    action = i;
                    break;
                }
            }

            actions[row] = action;
        }
    }

    /// <summary>Writes the log-probability of each row's action into <paramref name="logProb"/>.</summary>
    public static void LogProb(ReadOnlySpan<float> logits, int categoryCount, ReadOnlySpan<int> actions, Span<float> logProb)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(actions.Length, batch, nameof(actions));
        RequireLength(logProb.Length, batch, nameof(logProb));
        RequireActionsInRange(actions, categoryCount);
        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            logProb[row] = rowLogits[actions[row]] - LogSumExp(rowLogits);
        }
    }

    /// <summary>Writes the entropy <c>−Σ p·log p</c> of each row into <paramref name="entropy"/>.</summary>
    public static void Entropy(ReadOnlySpan<float> logits, int categoryCount, Span<float> entropy)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(entropy.Length, batch, nameof(entropy));
        for (var row = 0; row < batch; row++)
        {
            entropy[row] = Normalize(logits.Slice(row * categoryCount, categoryCount), out _);
        }
    }

    /// <summary>Writes both the log-probability of each row's action and each row's entropy, normalizing each row once.</summary>
    public static void LogProbAndEntropy(ReadOnlySpan<float> logits, int categoryCount, ReadOnlySpan<int> actions, Span<float> logProb, Span<float> entropy)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(actions.Length, batch, nameof(actions));
        RequireLength(logProb.Length, batch, nameof(logProb));
        RequireLength(entropy.Length, batch, nameof(entropy));
        RequireActionsInRange(actions, categoryCount);
        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            entropy[row] = Normalize(rowLogits, out var logSumExp);
            logProb[row] = rowLogits[actions[row]] - logSumExp;
        }
    }

    /// <summary>
    /// Writes dL/dlogits given the upstream gradients dL/dlogProb[b] (of the chosen action's log-probability)
    /// and dL/dentropy[b]; the output is overwritten, not accumulated, and must not overlap the logits.
    /// </summary>
    /// <remarks>
    /// With p = softmax(z), log p = log-softmax(z) and H = −Σ p·log p:
    /// ∂log p_a/∂z_j = δ_aj − p_j and ∂H/∂z_j = −p_j (log p_j + H).
    /// </remarks>
    public static void Backward(
        ReadOnlySpan<float> logits,
        int categoryCount,
        ReadOnlySpan<int> actions,
        ReadOnlySpan<float> logProbGradient,
        ReadOnlySpan<float> entropyGradient,
        Span<float> logitsGradient)
    {
        var batch = BatchSize(logits, categoryCount);
        RequireLength(actions.Length, batch, nameof(actions));
        RequireLength(logProbGradient.Length, batch, nameof(logProbGradient));
        RequireLength(entropyGradient.Length, batch, nameof(entropyGradient));
        RequireLength(logitsGradient.Length, batch * categoryCount, nameof(logitsGradient));
        RequireActionsInRange(actions, categoryCount);
        if (logits.Overlaps(logitsGradient))
        {
            ThrowOverlap(nameof(logitsGradient));
        }

        for (var row = 0; row < batch; row++)
        {
            var rowLogits = logits.Slice(row * categoryCount, categoryCount);
            var output = logitsGradient.Slice(row * categoryCount, categoryCount);
            var entropy = Normalize(rowLogits, out var logSumExp);
            for (var j = 0; j < categoryCount; j++)
            {
                output[j] = MathF.Exp(rowLogits[j] - logSumExp);
            }

            var gradientLogProb = logProbGradient[row];
            var gradientEntropy = entropyGradient[row];
            for (var j = 0; j < categoryCount; j++)
            {
                var probability = output[j];

                // p_j · (log p_j + H) is 0 when p_j is 0, even where log p_j is −∞ (masked logits).
                var entropyTerm = probability == 0f ? 0f : probability * (rowLogits[j] - logSumExp + entropy);
                output[j] = (-gradientLogProb * probability) - (gradientEntropy * entropyTerm);
            }

            output[actions[row]] += gradientLogProb;
        }
    }

    /// <summary>The row's entropy and log Σ exp, from one exponential per category.</summary>
    /// <remarks>
    /// With m = max z, e_j = exp(z_j − m) and S = Σ e_j: log Σ exp = m + log S and H = log S − Σ e_j (z_j − m) / S. Both
    /// terms of H are of order one whatever the logits' scale, so nothing large cancels. Categories with e_j = 0 (−∞
    /// logits) add nothing, as PyTorch's clamp of −∞ log-probabilities makes 0·log 0 count as 0.
    /// </remarks>
    private static float Normalize(ReadOnlySpan<float> rowLogits, out float logSumExp)
    {
        var max = Max(rowLogits);
        if (float.IsNegativeInfinity(max))
        {
            logSumExp = max;
            return float.NaN;
        }

        double sum = 0;
        double weighted = 0;
        for (var i = 0; i < rowLogits.Length; i++)
        {
            var shifted = rowLogits[i] - max;
            var e = MathF.Exp(shifted);
            sum += e;
            if (e != 0f)
            {
                weighted += e * (double)shifted;
            }
        }

        var logSum = Math.Log(sum);
        logSumExp = max + (float)logSum;
        return (float)(logSum - (weighted / sum));
    }

    private static float LogSumExp(ReadOnlySpan<float> rowLogits)
    {
        var max = Max(rowLogits);
        if (float.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        for (var i = 0; i < rowLogits.Length; i++)
        {
            sum += MathF.Exp(rowLogits[i] - max);
        }

        return max + (float)Math.Log(sum);
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var value in values)
        {
            // NaN propagates, so a NaN logit poisons its row instead of being skipped.
            if (value > max || float.IsNaN(value))
            {
                max = value;
                if (float.IsNaN(value))
                {
                    break;
                }
            }
        }

        return max;
    }

    private static int BatchSize(ReadOnlySpan<float> logits, int categoryCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(categoryCount);
        if (logits.Length % categoryCount != 0)
        {
            ThrowLogitsLength(nameof(logits), logits.Length, categoryCount);
        }

        return logits.Length / categoryCount;
    }

    private static void RequireActionsInRange(ReadOnlySpan<int> actions, int categoryCount)
    {
        for (var row = 0; row < actions.Length; row++)
        {
            if ((uint)actions[row] >= (uint)categoryCount)
            {
                ThrowActionOutOfRange(nameof(actions), row, actions[row], categoryCount);
            }
        }
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            ThrowLength(name, actual, expected);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap(string parameterName) =>
        throw new ArgumentException("The logits gradient must not share memory with the logits: they are read after the gradient is written.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLogitsLength(string parameterName, int length, int categoryCount) =>
        throw new ArgumentException($"Logits hold {length} values, which is not a multiple of the category count {categoryCount}.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(string name, int actual, int expected) =>
        throw new ArgumentException($"'{name}' has length {actual}; the logits' shape needs {expected}.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowActionOutOfRange(string parameterName, int row, int action, int categoryCount) =>
        throw new ArgumentOutOfRangeException(parameterName, action, $"Action {action} in row {row} is outside [0, {categoryCount}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoProbabilityMass(string parameterName, int row, float max) =>
        throw new ArgumentException($"Row {row} of the logits has no finite positive probability mass to sample from (largest logit {max}).", parameterName);
}

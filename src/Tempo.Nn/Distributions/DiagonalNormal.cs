using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tempo.Nn.Distributions;

/// <summary>
/// A batch of diagonal Gaussians with means <c>[batch, dimension]</c> and one log standard deviation per
/// dimension shared by every row (CleanRL's state-independent <c>actor_logstd</c> for continuous PPO).
/// </summary>
/// <remarks>
/// Matches <c>torch.distributions.Normal(mean, logStd.exp())</c> with log-probabilities and entropies summed over
/// the last dimension. There is no autograd, so <see cref="Backward"/> gives the gradients explicitly. Nothing here allocates.
/// </remarks>
public static class DiagonalNormal
{
    // log(√(2π)), the constant PyTorch's Normal.log_prob subtracts.
    private const float LogSqrtTwoPi = 0.918938533204672742f;

    // 0.5 + 0.5·log(2π), the per-dimension entropy of a unit Gaussian.
    private const float UnitEntropy = 1.418938533204672742f;

    /// <summary>Draws <c>mean + exp(logStd)·ε</c> with ε ~ N(0, 1) (Box–Muller from <paramref name="random"/>) into <paramref name="actions"/>.</summary>
    public static void Sample(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd, Random random, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(random);
        var dimension = Dimension(mean, logStd);
        RequireLength(actions.Length, mean.Length, nameof(actions));
        for (var i = 0; i < mean.Length; i += 2)
        {
            // Box–Muller: 1 − U lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            actions[i] = mean[i] + (MathF.Exp(logStd[i % dimension]) * (float)(radius * Math.Cos(angle)));
            if (i + 1 < mean.Length)
            {
                actions[i + 1] = mean[i + 1] + (MathF.Exp(logStd[(i + 1) % dimension]) * (float)(radius * Math.Sin(angle)));
            }
        }
    }

    /// <summary>Writes each row's log-density of <paramref name="actions"/>, summed over dimensions, into <paramref name="logProb"/>.</summary>
    public static void LogProb(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd, ReadOnlySpan<float> actions, Span<float> logProb)
    {
        var dimension = Dimension(mean, logStd);
        var batch = mean.Length / dimension;
        RequireLength(actions.Length, mean.Length, nameof(actions));
        RequireLength(logProb.Length, batch, nameof(logProb));
        logProb.Clear();

        // Dimension-outer so the per-dimension constants are computed once; each row still sums its
        // dimensions in order, as PyTorch's sum(-1) does.
        for (var j = 0; j < dimension; j++)
        {
            // PyTorch: var = scale², log_scale = log(scale) with scale = exp(logStd).
            var scale = MathF.Exp(logStd[j]);
            var twoVariance = 2 * (scale * scale);
            var logScale = MathF.Log(scale);
            for (var row = 0; row < batch; row++)
            {
                var index = (row * dimension) + j;
                var deviation = actions[index] - mean[index];
                logProb[row] += (-(deviation * deviation) / twoVariance) - logScale - LogSqrtTwoPi;
            }
        }
    }

    /// <summary>Writes the entropy summed over dimensions, the same for every row since it depends only on <paramref name="logStd"/>, into <paramref name="entropy"/>.</summary>
    public static void Entropy(ReadOnlySpan<float> logStd, Span<float> entropy)
    {
        if (logStd.IsEmpty)
        {
            throw new ArgumentException("The log standard deviation needs at least one dimension.", nameof(logStd));
        }

        var sum = 0f;
        foreach (var value in logStd)
        {
            sum += UnitEntropy + MathF.Log(MathF.Exp(value));
        }

        entropy.Fill(sum);
    }

    /// <summary>
    /// Given upstream gradients dL/dlogProb[b] and dL/dentropy[b] of the summed log-probabilities and entropies,
    /// overwrites <paramref name="meanGradient"/> with dL/dmean and ADDS dL/dlogStd into <paramref name="logStdGradient"/>
    /// (it is a parameter's gradient, which backward passes accumulate).
    /// </summary>
    /// <remarks>
    /// With z = (a − μ)/σ: ∂log p/∂μ = z/σ, ∂log p/∂log σ = z² − 1, ∂H/∂μ = 0 and ∂H/∂log σ = 1 per dimension.
    /// </remarks>
    public static void Backward(
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> logStd,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> logProbGradient,
        ReadOnlySpan<float> entropyGradient,
        Span<float> meanGradient,
        Span<float> logStdGradient)
    {
        var dimension = Dimension(mean, logStd);
        var batch = mean.Length / dimension;
        RequireLength(actions.Length, mean.Length, nameof(actions));
        RequireLength(logProbGradient.Length, batch, nameof(logProbGradient));
        RequireLength(entropyGradient.Length, batch, nameof(entropyGradient));
        RequireLength(meanGradient.Length, mean.Length, nameof(meanGradient));
        RequireLength(logStdGradient.Length, dimension, nameof(logStdGradient));

        double entropyGradientSum = 0;
        for (var row = 0; row < batch; row++)
        {
            entropyGradientSum += entropyGradient[row];
        }

        for (var j = 0; j < dimension; j++)
        {
            var scale = MathF.Exp(logStd[j]);
            var variance = scale * scale;
            double logStdSum = 0;
            for (var row = 0; row < batch; row++)
            {
                var index = (row * dimension) + j;
                var deviation = actions[index] - mean[index];
                var upstream = logProbGradient[row];
                meanGradient[index] = upstream * deviation / variance;
                logStdSum += upstream * (((double)deviation * deviation / variance) - 1);
            }

            logStdGradient[j] += (float)(logStdSum + entropyGradientSum);
        }
    }

    private static int Dimension(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd)
    {
        if (logStd.IsEmpty)
        {
            throw new ArgumentException("The log standard deviation needs at least one dimension.", nameof(logStd));
        }

        if (mean.Length % logStd.Length != 0)
        {
            ThrowMeanLength(nameof(mean), mean.Length, logStd.Length);
        }

        return logStd.Length;
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
    private static void ThrowMeanLength(string parameterName, int length, int dimension) =>
        throw new ArgumentException($"The mean holds {length} values, which is not a multiple of the dimension {dimension} given by the log standard deviation.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(string name, int actual, int expected) =>
        throw new ArgumentException($"'{name}' has length {actual}; the mean's shape needs {expected}.", name);
}

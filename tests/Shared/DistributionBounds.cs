namespace Tempo.Tests.Shared;

/// <summary>
/// Exact values (double) and float32 error bounds E for the categorical and diagonal-Normal computations that Tempo and
/// PyTorch both do; a parity test holds the two to 2E. First-order in u = 2^-24 with the second-order terms bounded
/// explicitly (ρ² below); exp and log of float32 are taken within 2u relative (PyTorch's Sleef u10 functions are within
/// 1 ulp ≤ 2u, .NET's MathF within 1 ulp), and every other operation rounds once (≤ u relative).
/// </summary>
internal static class DistributionBounds
{
    private const double U = Float32Bounds.Unit;

    /// <summary>One row of a categorical: exact log-probabilities, probabilities and entropy, and their bounds.</summary>
    /// <param name="LogProbabilities">log p_j = z_j − logsumexp(z).</param>
    /// <param name="LogProbabilityErrors">E of each log p_j.</param>
    /// <param name="Probabilities">p_j.</param>
    /// <param name="ProbabilityErrors">E of each p_j.</param>
    /// <param name="Entropy">H = −Σ p_j log p_j.</param>
    /// <param name="EntropyError">E of H.</param>
    internal sealed record CategoricalRow(double[] LogProbabilities, double[] LogProbabilityErrors, double[] Probabilities, double[] ProbabilityErrors, double Entropy, double EntropyError);

    /// <summary>
    /// A categorical row from logits z (exact float32 values, or values known within <paramref name="logitErrors"/>).
    /// Both sides compute d_j = z_j − max (one rounding: u|d_j|), e_j = exp(d_j) (within u|d_j| + 2u relative), S = Σ e_j
    /// (positive terms: γ_n relative), log S (2u|log S|), logsumexp = max + log S and log p_j = z_j − logsumexp (one
    /// rounding each). So log S is within ρ + ρ² of exact, ρ = Σ p_j(u|d_j| + 2u) + γ_n, and log p_j within that plus the
    /// later roundings. Errors δz_j in the logits move log p_j by at most δz_j + Σ p_k δz_k (logsumexp's gradient is p).
    /// p_j = exp(log p_j) adds its exp's 2u; H = −Σ p_j log p_j is a sum of 2n products of those.
    /// </summary>
    public static CategoricalRow Categorical(ReadOnlySpan<float> logits, ReadOnlySpan<double> logitErrors = default)
    {
        var n = logits.Length;
        var z = new double[n];
        var dz = new double[n];
        for (var j = 0; j < n; j++)
        {
            z[j] = logits[j];
            dz[j] = logitErrors.IsEmpty ? 0 : logitErrors[j];
        }

        var max = z.Max();
        var sum = z.Sum(v => Math.Exp(v - max));
        var logSum = Math.Log(sum);
        var logSumExp = max + logSum;
        var logP = z.Select(v => v - logSumExp).ToArray();
        var p = logP.Select(Math.Exp).ToArray();
        var rho = Float32Bounds.Gamma(n);
        var shift = 0.0;
        for (var j = 0; j < n; j++)
        {
            rho += p[j] * ((U * Math.Abs(z[j] - max)) + (2 * U));
            shift += p[j] * dz[j];
        }

        var logSumExpError = rho + (rho * rho) + (2 * U * Math.Abs(logSum)) + (U * (Math.Abs(max) + Math.Abs(logSum))) + shift;
        var logPError = logP.Select((v, j) => logSumExpError + dz[j] + (U * (Math.Abs(z[j]) + Math.Abs(logSumExp) + Math.Abs(v)))).ToArray();
        var pError = p.Select((v, j) => v * (logPError[j] + (2 * U)) * (1 + (2 * (logPError[j] + (2 * U))))).ToArray();
        var entropy = -p.Select((v, j) => v * logP[j]).Sum();
        var entropyError = 0.0;
        var magnitude = 0.0;
        for (var j = 0; j < n; j++)
        {
            entropyError += (p[j] * logPError[j]) + ((Math.Abs(logP[j]) + logPError[j]) * pError[j]);
            magnitude += (p[j] + pError[j]) * (Math.Abs(logP[j]) + logPError[j]);
        }

        entropyError += (Float32Bounds.Gamma(2 * n) * magnitude) + (U * Math.Abs(entropy));
        return new CategoricalRow(logP, logPError, p, pError, entropy, entropyError);
    }

    /// <summary>
    /// ∂L/∂z_j of a categorical row for upstream gradients g_lp of log p_action (within <paramref name="logProbGradientError"/>)
    /// and g_H of the entropy (exact): g_lp·(1[j = a] − p_j) − g_H·p_j·(log p_j + H), with bounds from the row's and six
    /// roundings of the products and sums.
    /// </summary>
    public static (double[] Gradient, double[] Error) CategoricalBackward(CategoricalRow row, int action, double logProbGradient, double logProbGradientError, double entropyGradient)
    {
        var n = row.Probabilities.Length;
        var gradient = new double[n];
        var error = new double[n];
        var (g, ge, gh) = (logProbGradient, logProbGradientError, Math.Abs(entropyGradient));
        for (var j = 0; j < n; j++)
        {
            var (p, pe) = (row.Probabilities[j], row.ProbabilityErrors[j]);
            var indicator = j == action ? 1.0 : 0.0;
            var spread = row.LogProbabilities[j] + row.Entropy;
            var spreadError = row.LogProbabilityErrors[j] + row.EntropyError;
            gradient[j] = (g * (indicator - p)) - (entropyGradient * p * spread);
            error[j] = (ge * (Math.Abs(indicator - p) + pe)) + (Math.Abs(g) * pe)
                + (gh * ((pe * (Math.Abs(spread) + spreadError)) + (p * spreadError)))
                + (6 * U * (((Math.Abs(g) + ge) * (1 + p + pe)) + (gh * (p + pe) * (Math.Abs(row.LogProbabilities[j]) + Math.Abs(row.Entropy) + spreadError))));
        }

        return (gradient, error);
    }

    /// <summary>
    /// The diagonal Normal's log-density summed over a row's dimensions, exact and its bound. Per dimension both sides
    /// form a − μ (u), σ = exp(log σ) (2u), log σ again from σ (2u + 2u|log σ|, as torch's <c>scale.log()</c>),
    /// q = (a − μ)²/(2σ²) (within 9u·q: 3u from the square, 5u from 2σ², u from the division), and add
    /// −q − log σ − log√(2π) into the row: a sum of 3·dims terms.
    /// </summary>
    public static (double LogProb, double Error) NormalLogProb(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStd, ReadOnlySpan<float> actions)
    {
        var logRootTwoPi = 0.5 * Math.Log(2 * Math.PI);
        double logProb = 0, error = 0, magnitude = 0;
        for (var d = 0; d < mean.Length; d++)
        {
            var sigma = Math.Exp(logStd[d]);
            var deviation = (double)actions[d] - mean[d];
            var q = deviation * deviation / (2 * sigma * sigma);
            logProb += -q - logStd[d] - logRootTwoPi;
            error += (9 * U * q) + (2 * U) + (2 * U * Math.Abs(logStd[d])) + (U * logRootTwoPi);
            magnitude += q + Math.Abs(logStd[d]) + logRootTwoPi;
        }

        return (logProb, error + (Float32Bounds.Gamma(3 * mean.Length) * magnitude * (1 + (12 * U))));
    }

    /// <summary>
    /// The diagonal Normal's entropy summed over dimensions, Σ (½ + ½·log 2π + log σ): per dimension the constant (u),
    /// log σ through σ = exp(log σ) as torch does (2u + 2u|log σ|), and a sum of 2·dims terms.
    /// </summary>
    public static (double Entropy, double Error) NormalEntropy(ReadOnlySpan<float> logStd)
    {
        var unit = 0.5 + (0.5 * Math.Log(2 * Math.PI));
        double entropy = 0, error = 0, magnitude = 0;
        foreach (var s in logStd)
        {
            entropy += unit + s;
            error += (U * unit) + (2 * U) + (2 * U * Math.Abs(s));
            magnitude += unit + Math.Abs(s);
        }

        return (entropy, error + (Float32Bounds.Gamma(2 * logStd.Length) * magnitude * (1 + (6 * U))));
    }
}

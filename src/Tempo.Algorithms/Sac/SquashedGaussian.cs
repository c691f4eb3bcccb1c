namespace Tempo.Algorithms.Sac;

/// <summary>sac_continuous_action.py's <c>get_action</c>: a Gaussian sample squashed by tanh into the action box, with its log-probability corrected for the squashing.</summary>
public static class SquashedGaussian
{
    /// <summary>The script's 1e-6 inside the log of the tanh correction.</summary>
    public const float Epsilon = 1e-6f;

    private static readonly float _halfLogTwoPi = 0.5f * MathF.Log(2f * MathF.PI);

    /// <summary>For each row of <c>[mean | log_std]</c>: u = mean + std·ε, y = tanh u, action = y·scale + bias, and log π = Σ_j [log N(u; mean, std) − log(scale·(1 − y²) + 1e-6)].</summary>
    /// <param name="meanLogStd">The actor's output: a row of 2·|A| per entry of <paramref name="logProbs"/>.</param>
    /// <param name="noise">ε, standard normal, batch·|A|.</param>
    /// <param name="scale">(high − low) / 2 per action dimension.</param>
    /// <param name="bias">(high + low) / 2 per action dimension.</param>
    /// <param name="squashed">Receives y = tanh u, batch·|A|.</param>
    /// <param name="actions">Receives the actions, batch·|A|.</param>
    /// <param name="logProbs">Receives log π per row.</param>
    public static void Sample(ReadOnlySpan<float> meanLogStd, ReadOnlySpan<float> noise, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, Span<float> squashed, Span<float> actions, Span<float> logProbs)
    {
        var n = scale.Length;
        for (var b = 0; b < logProbs.Length; b++)
        {
            var logProb = 0f;
            for (var j = 0; j < n; j++)
            {
                var mean = meanLogStd[(b * 2 * n) + j];
                var logStd = meanLogStd[(b * 2 * n) + n + j];
                var e = noise[(b * n) + j];
                var y = MathF.Tanh(mean + (MathF.Exp(logStd) * e));
                squashed[(b * n) + j] = y;
                actions[(b * n) + j] = (y * scale[j]) + bias[j];
                logProb += (-0.5f * e * e) - logStd - _halfLogTwoPi - MathF.Log((scale[j] * (1f - (y * y))) + Epsilon);
            }

            logProbs[b] = logProb;
        }
    }

    /// <summary>The deterministic action tanh(mean)·scale + bias per row (the script's <c>mean</c> output, for evaluation).</summary>
    public static void Mean(ReadOnlySpan<float> meanLogStd, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, int batch, Span<float> actions)
    {
        var n = scale.Length;
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < n; j++)
            {
                actions[(b * n) + j] = (MathF.Tanh(meanLogStd[(b * 2 * n) + j]) * scale[j]) + bias[j];
            }
        }
    }

    /// <summary>Back-propagates ∂L/∂(log π) per row and ∂L/∂action per element of a <see cref="Sample"/> to ∂L/∂[mean | log_std].</summary>
    /// <param name="meanLogStd">The rows <see cref="Sample"/> read.</param>
    /// <param name="noise">The ε it drew.</param>
    /// <param name="scale">Its scale.</param>
    /// <param name="squashed">The y it wrote.</param>
    /// <param name="logProbGradient">∂L/∂log π per row.</param>
    /// <param name="actionGradient">∂L/∂action, batch·|A|.</param>
    /// <param name="gradient">Receives ∂L/∂[mean | log_std], rows of 2·|A|.</param>
    public static void Backward(ReadOnlySpan<float> meanLogStd, ReadOnlySpan<float> noise, ReadOnlySpan<float> scale, ReadOnlySpan<float> squashed, ReadOnlySpan<float> logProbGradient, ReadOnlySpan<float> actionGradient, Span<float> gradient)
    {
        var n = scale.Length;
        for (var b = 0; b < logProbGradient.Length; b++)
        {
            var gLogProb = logProbGradient[b];
            for (var j = 0; j < n; j++)
            {
                var i = (b * n) + j;
                var y = squashed[i];
                var std = MathF.Exp(meanLogStd[(b * 2 * n) + n + j]);
                var slope = scale[j] * (1f - (y * y));

                // ∂log π/∂u through the tanh correction; log N(u; mean, std) itself depends on ε and log std only.
                var correction = 2f * y * slope / (slope + Epsilon);
                var gU = (gLogProb * correction) + (actionGradient[i] * slope);
                gradient[(b * 2 * n) + j] = gU;
                gradient[(b * 2 * n) + n + j] = (gU * std * noise[i]) - gLogProb;
            }
        }
    }
}

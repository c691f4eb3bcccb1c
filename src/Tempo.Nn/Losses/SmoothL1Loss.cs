namespace Tempo.Nn.Losses;

/// <summary>
/// The smooth L1 loss with threshold β, as <c>torch.nn.functional.smooth_l1_loss</c>: 0.5·x²/β where |x| &lt; β,
/// else |x| − 0.5·β, with x = input − target; β = 0 gives the L1 loss.
/// </summary>
/// <remarks>This is the Huber loss divided by β; <see cref="HuberLoss"/> is the unscaled form.</remarks>
public static class SmoothL1Loss
{
    /// <summary>Returns the reduced loss.</summary>
    public static float Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float beta = 1f, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Validate(input, target, reduction);
        ValidateBeta(beta);
        double sum = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var magnitude = MathF.Abs(input[i] - target[i]);
            sum += magnitude < beta ? 0.5f * magnitude * magnitude / beta : magnitude - (0.5f * beta);
        }

        return LossArguments.Reduce(sum, input.Length, reduction);
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with dL/dinput, where dL/dloss is <paramref name="lossGradient"/>.</summary>
    /// <remarks>dL/dx = x/β inside the threshold, sign(x) outside (sign(0) = 0 when β = 0, as the L1 loss), divided by the element count for the mean.</remarks>
    public static void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> target,
        Span<float> inputGradient,
        float beta = 1f,
        LossReduction reduction = LossReduction.Mean,
        float lossGradient = 1f)
    {
        LossArguments.Validate(input, target, reduction);
        LossArguments.ValidateGradient(input, inputGradient);
        ValidateBeta(beta);
        var norm = reduction == LossReduction.Mean ? (float)(1.0 / input.Length) : 1f;
        for (var i = 0; i < input.Length; i++)
        {
            var difference = input[i] - target[i];
            float slope;
            if (beta == 0f)
            {
                slope = MathF.Sign(difference);
            }
            else if (difference <= -beta)
            {
                slope = -1f;
            }
            else if (difference >= beta)
            {
                slope = 1f;
            }
            else
            {
                slope = difference / beta;
            }

            inputGradient[i] = norm * slope * lossGradient;
        }
    }

    private static void ValidateBeta(float beta)
    {
        if (!(beta >= 0) || float.IsInfinity(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Smooth L1 needs a finite, non-negative beta.");
        }
    }
}

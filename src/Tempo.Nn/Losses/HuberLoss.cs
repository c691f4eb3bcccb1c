namespace Tempo.Nn.Losses;

/// <summary>
/// The Huber loss with threshold δ, as <c>torch.nn.functional.huber_loss</c>: 0.5·x² where |x| &lt; δ, else
/// δ·(|x| − 0.5·δ), with x = input − target.
/// </summary>
/// <remarks>This equals δ times <see cref="SmoothL1Loss"/> with β = δ; for δ = 1 the two coincide.</remarks>
public static class HuberLoss
{
    /// <summary>Returns the reduced loss.</summary>
    public static float Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float delta = 1f, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Validate(input, target, reduction);
        ValidateDelta(delta);
        double sum = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var magnitude = MathF.Abs(input[i] - target[i]);
            sum += magnitude < delta ? 0.5f * magnitude * magnitude : delta * (magnitude - (0.5f * delta));
        }

        return LossArguments.Reduce(sum, input.Length, reduction);
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with dL/dinput, where dL/dloss is <paramref name="lossGradient"/>.</summary>
    /// <remarks>dL/dx = x inside the threshold, δ·sign(x) outside, divided by the element count for the mean.</remarks>
    public static void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> target,
        Span<float> inputGradient,
        float delta = 1f,
        LossReduction reduction = LossReduction.Mean,
        float lossGradient = 1f)
    {
        LossArguments.Validate(input, target, reduction);
        LossArguments.ValidateGradient(input, inputGradient);
        ValidateDelta(delta);
        var norm = reduction == LossReduction.Mean ? (float)(1.0 / input.Length) : 1f;
        for (var i = 0; i < input.Length; i++)
        {
            var difference = input[i] - target[i];
            var slope = difference <= -delta ? -delta : difference >= delta ? delta : difference;
            inputGradient[i] = norm * slope * lossGradient;
        }
    }

    private static void ValidateDelta(float delta)
    {
        if (!(delta > 0) || float.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber loss needs a finite, positive delta.");
        }
    }
}

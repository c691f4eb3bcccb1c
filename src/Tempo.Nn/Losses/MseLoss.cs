namespace Tempo.Nn.Losses;

/// <summary>The mean squared error <c>(input − target)²</c>, reduced by mean or sum, as <c>torch.nn.functional.mse_loss</c>.</summary>
public static class MseLoss
{
    /// <summary>Returns the reduced loss.</summary>
    public static float Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Validate(input, target, reduction);
        double sum = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var difference = input[i] - target[i];
            sum += difference * difference;
        }

        return LossArguments.Reduce(sum, input.Length, reduction);
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with dL/dinput, where dL/dloss is <paramref name="lossGradient"/>.</summary>
    /// <remarks>dL/dx_i = 2 (x_i − t_i) · lossGradient, divided by the element count for the mean.</remarks>
    public static void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> target,
        Span<float> inputGradient,
        LossReduction reduction = LossReduction.Mean,
        float lossGradient = 1f)
    {
        LossArguments.Validate(input, target, reduction);
        LossArguments.ValidateGradient(input, inputGradient);
        var norm = reduction == LossReduction.Mean ? (float)(2.0 / input.Length) : 2f;
        for (var i = 0; i < input.Length; i++)
        {
            inputGradient[i] = norm * (input[i] - target[i]) * lossGradient;
        }
    }
}

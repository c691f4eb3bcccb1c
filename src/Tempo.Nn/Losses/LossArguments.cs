namespace Tempo.Nn.Losses;

/// <summary>Boundary checks shared by the element-wise losses.</summary>
internal static class LossArguments
{
    /// <summary>Throws unless input and target are non-empty and equally long, and the reduction is defined.</summary>
    public static void Validate(ReadOnlySpan<float> input, ReadOnlySpan<float> target, LossReduction reduction)
    {
        if (input.Length != target.Length)
        {
            throw new ArgumentException($"Input has {input.Length} elements but target has {target.Length}; they must match.", nameof(target));
        }

        if (input.IsEmpty)
        {
            // PyTorch returns NaN for the mean of nothing; an empty batch here is a caller bug.
            throw new ArgumentException("The loss needs at least one element; input and target are empty.", nameof(input));
        }

        if (reduction is not (LossReduction.Mean or LossReduction.Sum))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        }
    }

    /// <summary>Throws unless the gradient buffer is as long as the input.</summary>
    public static void ValidateGradient(ReadOnlySpan<float> input, Span<float> inputGradient)
    {
        if (inputGradient.Length != input.Length)
        {
            throw new ArgumentException($"The input gradient has length {inputGradient.Length}; the input has {input.Length}.", nameof(inputGradient));
        }
    }

    /// <summary>Turns an accumulated sum into the reduced loss.</summary>
    public static float Reduce(double sum, int count, LossReduction reduction) =>
        reduction == LossReduction.Mean ? (float)(sum / count) : (float)sum;
}

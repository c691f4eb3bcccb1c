namespace Tempo.Nn.Initialization;

/// <summary>Fills values from a uniform distribution, as <c>torch.nn.init.uniform_</c>.</summary>
public static class Uniform
{
    /// <summary>Fills <paramref name="values"/> with draws from U(<paramref name="low"/>, <paramref name="high"/>), in order.</summary>
    public static void Fill(Span<float> values, double low, double high, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"Uniform bounds must be finite with low ≤ high; got [{low}, {high}].", nameof(low));
        }

        var width = high - low;
        for (var i = 0; i < values.Length; i++)
        {
            // Rounding to float can land on high itself; clamp so the closed interval [low, high] always holds.
            values[i] = (float)Math.Clamp(low + (width * random.NextDouble()), low, high);
        }
    }
}

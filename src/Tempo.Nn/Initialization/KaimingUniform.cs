namespace Tempo.Nn.Initialization;

/// <summary>He (Kaiming) uniform initialization in fan-in mode with a leaky-ReLU gain, as <c>torch.nn.init.kaiming_uniform_</c>.</summary>
/// <remarks>
/// Values are drawn from U(−bound, bound) with bound = gain·√(3 / fan_in) and gain = √(2 / (1 + a²)).
/// PyTorch's Linear and Conv2d use a = √5 by default, which gives bound = 1/√fan_in.
/// </remarks>
public static class KaimingUniform
{
    /// <summary>The negative slope PyTorch's Linear and Conv2d pass by default (√5).</summary>
    public static readonly double TorchDefaultNegativeSlope = Math.Sqrt(5.0);

    /// <summary>The bound gain·√(3 / fan_in) for the given fan-in and leaky-ReLU negative slope.</summary>
    public static double Bound(int fanIn, double negativeSlope)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        var gain = Math.Sqrt(2.0 / (1.0 + (negativeSlope * negativeSlope)));
        return gain * Math.Sqrt(3.0 / fanIn);
    }

    /// <summary>Fills <paramref name="values"/> with draws from U(−bound, bound), bound as in <see cref="Bound"/>.</summary>
    public static void Fill(Span<float> values, int fanIn, double negativeSlope, Random random)
    {
        var bound = Bound(fanIn, negativeSlope);
        Uniform.Fill(values, -bound, bound, random);
    }
}

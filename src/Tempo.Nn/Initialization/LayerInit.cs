using Tempo.Nn.Modules;

namespace Tempo.Nn.Initialization;

/// <summary>Initializes a layer's weight and bias together: PyTorch's defaults, or CleanRL's <c>layer_init</c>.</summary>
public static class LayerInit
{
    /// <summary>The gain CleanRL gives hidden layers (√2).</summary>
    public static readonly double HiddenGain = Math.Sqrt(2.0);

    /// <summary>The gain CleanRL gives a policy head.</summary>
    public const double PolicyHeadGain = 0.01;

    /// <summary>The gain CleanRL gives a value head.</summary>
    public const double ValueHeadGain = 1.0;

    /// <summary>PyTorch's <c>reset_parameters</c> for Linear and Conv2d: weight kaiming_uniform_(a = √5), i.e. U(±1/√fan_in), then bias U(±1/√fan_in).</summary>
    public static TLayer TorchDefault<TLayer>(TLayer layer, Random random)
        where TLayer : IAffineLayer
    {
        ArgumentNullException.ThrowIfNull(layer);
        var fanIn = FanIn(layer.Weight);
        KaimingUniform.Fill(layer.Weight.Value.Span, fanIn, KaimingUniform.TorchDefaultNegativeSlope, random);
        var bound = 1.0 / Math.Sqrt(fanIn);
        Uniform.Fill(layer.Bias.Value.Span, -bound, bound, random);
        return layer;
    }

    /// <summary>CleanRL's <c>layer_init(layer, std, bias_const)</c>: orthogonal weight with <paramref name="gain"/>, constant bias.</summary>
    /// <param name="layer">The layer to initialize; returned for chaining.</param>
    /// <param name="gain">The orthogonal gain (√2 hidden, 0.01 policy head, 1 value head in CleanRL).</param>
    /// <param name="random">The source of the Gaussian matrix.</param>
    /// <param name="biasValue">The value every bias element gets.</param>
    public static TLayer Orthogonal<TLayer>(TLayer layer, double gain, Random random, float biasValue = 0f)
        where TLayer : IAffineLayer
    {
        ArgumentNullException.ThrowIfNull(layer);
        Initialization.Orthogonal.Fill(layer.Weight.Value, gain, random);
        layer.Bias.Value.Span.Fill(biasValue);
        return layer;
    }

    /// <summary>Inputs feeding each output: the weight's element count over its first dimension (in·kh·kw for a convolution).</summary>
    public static int FanIn(Parameter weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var value = weight.Value;
        if (value.Rank < 2 || value.Length == 0)
        {
            throw new ArgumentException($"A fan-in needs a non-empty weight of rank ≥ 2; got {value}.", nameof(weight));
        }

        return value.Length / value.Dim(0);
    }
}

using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;

namespace Tempo.Nn.Modules;

/// <summary>Builds multilayer perceptrons: linear layers with a fused activation between them and none after the last.</summary>
/// <remarks>
/// Parameters are named as in the equivalent <c>nn.Sequential(nn.Linear, act, nn.Linear, act, nn.Linear)</c>:
/// <c>0.weight</c>, <c>2.weight</c>, <c>4.weight</c>, …
/// </remarks>
public static class Mlp
{
    /// <summary>Creates an MLP with PyTorch's default initialization.</summary>
    /// <param name="sizes">Layer widths from input to output, e.g. [4, 64, 64, 2]; at least two.</param>
    /// <param name="activation">The activation after every layer but the last.</param>
    /// <param name="random">The source of the initial weights.</param>
    public static Sequential Create(ReadOnlySpan<int> sizes, Activation activation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireSizes(sizes);
        var layers = new Module[sizes.Length - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            var isLast = i == layers.Length - 1;
            layers[i] = new Linear(sizes[i], sizes[i + 1], random, isLast ? Activation.None : activation);
        }

        return new Sequential(layers);
    }

    /// <summary>Creates an MLP initialized as CleanRL's <c>layer_init</c>: orthogonal weights with a gain, zero biases.</summary>
    /// <param name="sizes">Layer widths from input to output, e.g. [4, 64, 64, 2]; at least two.</param>
    /// <param name="activation">The activation after every layer but the last.</param>
    /// <param name="hiddenGain">The gain of every layer but the last (CleanRL: √2).</param>
    /// <param name="outputGain">The gain of the last layer (CleanRL: 0.01 for a policy head, 1 for a value head).</param>
    /// <param name="random">The source of the initial weights.</param>
    public static Sequential CreateOrthogonal(ReadOnlySpan<int> sizes, Activation activation, double hiddenGain, double outputGain, Random random)
    {
        var network = Create(sizes, activation, random);
        var layers = network.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            LayerInit.Orthogonal((Linear)layers[i], i == layers.Count - 1 ? outputGain : hiddenGain, random);
        }

        return network;
    }

    private static void RequireSizes(ReadOnlySpan<int> sizes)
    {
        if (sizes.Length < 2)
        {
            throw new ArgumentException($"An MLP needs at least an input and an output size; got {sizes.Length} sizes.", nameof(sizes));
        }

        foreach (var size in sizes)
        {
            if (size <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), size, $"Layer sizes must be positive; got [{string.Join(", ", sizes.ToArray())}].");
            }
        }
    }
}

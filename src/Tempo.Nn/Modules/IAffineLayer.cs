namespace Tempo.Nn.Modules;

/// <summary>A layer with a weight (output features first, as PyTorch stores it) and a bias, which initializers fill.</summary>
public interface IAffineLayer
{
    /// <summary>The weight: [out, in] for a linear layer, [out, in, kh, kw] for a convolution.</summary>
    Parameter Weight { get; }

    /// <summary>The bias, one element per output feature or channel.</summary>
    Parameter Bias { get; }
}

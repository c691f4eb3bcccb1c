namespace Tempo.Nn.Modules;

/// <summary>An elementwise activation that a layer applies to its output (fused with the bias add).</summary>
public enum Activation
{
    /// <summary>No activation: the layer's output is the affine map itself.</summary>
    None,

    /// <summary>max(0, x), as <c>torch.nn.ReLU</c> (gradient 0 at x = 0).</summary>
    Relu,

    /// <summary>The hyperbolic tangent, as <c>torch.nn.Tanh</c>.</summary>
    Tanh,
}

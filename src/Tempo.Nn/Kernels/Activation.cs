namespace Tempo.Nn.Kernels;

/// <summary>An elementwise nonlinearity that kernels can fuse into their output (epilogue).</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}

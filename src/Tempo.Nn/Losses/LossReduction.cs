namespace Tempo.Nn.Losses;

/// <summary>How element-wise losses are reduced to one scalar, as PyTorch's <c>reduction</c> argument.</summary>
public enum LossReduction
{
    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over all elements.</summary>
    Sum,
}

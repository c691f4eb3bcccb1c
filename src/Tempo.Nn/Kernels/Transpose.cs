namespace Tempo.Nn.Kernels;

/// <summary>Whether a GEMM operand is used as stored or transposed.</summary>
public enum Transpose
{
    /// <summary>Use the operand as stored (row-major).</summary>
    No,

    /// <summary>Use the transpose of the stored operand.</summary>
    Yes,
}

using BenchmarkDotNet.Attributes;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>The GEMMs of one dqn.py gradient step (Q-network 4-120-84-2, batch 128) one by one, to find the ones slow for their size.</summary>
public class DqnGemmShapeBenchmarks
{
    private readonly float[] _a = new float[128 * 128];
    private readonly float[] _b = new float[128 * 128];
    private readonly float[] _c = new float[128 * 128];
    private readonly float[] _bias = new float[128];
    private readonly float[] _scratch = new float[128 * 128];

    /// <summary>Forward of layer 2: [128, 120] · W[84, 120]ᵀ + b, ReLU.</summary>
    [Benchmark]
    public void Forward2() => Gemm.MultiplyBiasActivation(Transpose.No, Transpose.Yes, 128, 84, 120, _a, 120, _b, 120, _bias.AsSpan(0, 84), Activation.Relu, _c, 84);

    /// <summary>Forward of layer 1: [128, 4] · W[120, 4]ᵀ + b, ReLU.</summary>
    [Benchmark]
    public void Forward1() => Gemm.MultiplyBiasActivation(Transpose.No, Transpose.Yes, 128, 120, 4, _a, 4, _b, 4, _bias.AsSpan(0, 120), Activation.Relu, _c, 120);

    /// <summary>Forward of layer 3: [128, 84] · W[2, 84]ᵀ + b.</summary>
    [Benchmark]
    public void Forward3() => Gemm.MultiplyBiasActivation(Transpose.No, Transpose.Yes, 128, 2, 84, _a, 84, _b, 84, _bias.AsSpan(0, 2), Activation.None, _c, 2);

    /// <summary>Weight gradient of layer 2: dZ[128, 84]ᵀ · X[128, 120].</summary>
    [Benchmark]
    public void WeightGradient2() => Gemm.Multiply(Transpose.Yes, Transpose.No, 84, 120, 128, _a, 84, _b, 120, _c, 120, beta: 1f);

    /// <summary>Weight gradient of layer 2 with dZ transposed first into a row-major [84, 128], then a plain product.</summary>
    [Benchmark]
    public void WeightGradient2Transposed()
    {
        var t = _scratch.AsSpan(0, 84 * 128);
        for (var i = 0; i < 128; i++)
        {
            for (var j = 0; j < 84; j++)
            {
                t[(j * 128) + i] = _a[(i * 84) + j];
            }
        }

        Gemm.Multiply(Transpose.No, Transpose.No, 84, 120, 128, t, 128, _b, 120, _c, 120, beta: 1f);
    }

    /// <summary>Input gradient of layer 2: dZ[128, 84] · W[84, 120].</summary>
    [Benchmark]
    public void InputGradient2() => Gemm.Multiply(Transpose.No, Transpose.No, 128, 120, 84, _a, 84, _b, 120, _c, 120);

    /// <summary>Weight gradient of layer 3: dZ[128, 2]ᵀ · X[128, 84].</summary>
    [Benchmark]
    public void WeightGradient3() => Gemm.Multiply(Transpose.Yes, Transpose.No, 2, 84, 128, _a, 2, _b, 84, _c, 84, beta: 1f);

    /// <summary>Input gradient of layer 3: dZ[128, 2] · W[2, 84].</summary>
    [Benchmark]
    public void InputGradient3() => Gemm.Multiply(Transpose.No, Transpose.No, 128, 84, 2, _a, 2, _b, 84, _c, 84);

    /// <summary>Weight gradient of layer 1: dZ[128, 120]ᵀ · X[128, 4].</summary>
    [Benchmark]
    public void WeightGradient1() => Gemm.Multiply(Transpose.Yes, Transpose.No, 120, 4, 128, _a, 120, _b, 4, _c, 4, beta: 1f);
}

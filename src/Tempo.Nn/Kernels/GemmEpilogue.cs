using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>What a GEMM does to each finished output tile while it is still in cache: add a bias, then an activation.</summary>
internal readonly unsafe struct GemmEpilogue
{
    /// <summary>Bias values, or null for none; indexed by output row when <see cref="BiasPerRow"/>, else by column.</summary>
    public readonly float* Bias;

    /// <summary>Whether the bias runs along rows (one value per output row, as for NCHW convolution outputs).</summary>
    public readonly bool BiasPerRow;

    /// <summary>The activation applied after the bias.</summary>
    public readonly Activation Activation;

    public GemmEpilogue(float* bias, bool biasPerRow, Activation activation)
    {
        Bias = bias;
        BiasPerRow = biasPerRow;
        Activation = activation;
    }

    /// <summary>Whether there is nothing to do.</summary>
    public bool IsNone => Bias == null && Activation == Activation.None;

    /// <summary>Whether a micro-kernel can apply it to its registers before storing: a bias per column (or none) and ReLU (or none).</summary>
    public bool FitsMicroKernel => !(Bias != null && BiasPerRow) && Activation is Activation.None or Activation.Relu;

    /// <summary>The same epilogue for a sub-matrix starting at (row, column).</summary>
    public GemmEpilogue Offset(int row, int column) =>
        Bias == null ? this : new GemmEpilogue(Bias + (BiasPerRow ? row : column), BiasPerRow, Activation);

    /// <summary>Applies the epilogue to the rows×columns tile at <paramref name="tile"/>, whose top-left is output (row, column).</summary>
    public void Apply(SimdPath path, float* tile, nint ldc, int row, int rows, int column, int columns)
    {
        switch (path)
        {
            case SimdPath.Vector512: Apply<Simd512, Vector512<float>>(tile, ldc, row, rows, column, columns); break;
            case SimdPath.Vector256: Apply<Simd256, Vector256<float>>(tile, ldc, row, rows, column, columns); break;
            case SimdPath.Vector128: Apply<Simd128, Vector128<float>>(tile, ldc, row, rows, column, columns); break;
            default: ApplyScalar(tile, ldc, row, rows, column, columns); break;
        }
    }

    /// <summary>Vector version of <see cref="Apply"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply<TOps, TVector>(float* tile, nint ldc, int row, int rows, int column, int columns)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        for (var r = 0; r < rows; r++)
        {
            var line = tile + (r * ldc);
            if (Bias != null)
            {
                if (BiasPerRow)
                {
                    var value = Bias[row + r];
                    var broadcast = TOps.Broadcast(value);
                    var j = 0;
                    for (; j <= columns - width; j += width)
                    {
                        TOps.Store(line + j, TOps.Add(TOps.Load(line + j), broadcast));
                    }

                    for (; j < columns; j++)
                    {
                        line[j] += value;
                    }
                }
                else
                {
                    var bias = Bias + column;
                    var j = 0;
                    for (; j <= columns - width; j += width)
                    {
                        TOps.Store(line + j, TOps.Add(TOps.Load(line + j), TOps.Load(bias + j)));
                    }

                    for (; j < columns; j++)
                    {
                        line[j] += bias[j];
                    }
                }
            }

            if (Activation != Activation.None)
            {
                ActivationKernels.Forward<TOps, TVector>(Activation, line, line, columns);
            }
        }
    }

    private void ApplyScalar(float* tile, nint ldc, int row, int rows, int column, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            var line = tile + (r * ldc);
            if (Bias != null)
            {
                for (var j = 0; j < columns; j++)
                {
                    line[j] += BiasPerRow ? Bias[row + r] : Bias[column + j];
                }
            }

            if (Activation != Activation.None)
            {
                ActivationKernels.Forward(SimdPath.Scalar, Activation, line, line, columns);
            }
        }
    }
}

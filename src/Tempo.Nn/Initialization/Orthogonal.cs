using System.Numerics;
using System.Runtime.InteropServices;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Initialization;

/// <summary>(Semi-)orthogonal initialization with a gain, as <c>torch.nn.init.orthogonal_</c> (Saxe et al. 2014).</summary>
/// <remarks>
/// The weight is viewed as a rows × cols matrix (rows = first dimension, cols = the rest, so a convolution's
/// [out, in, kh, kw] becomes out × in·kh·kw). A standard Gaussian matrix of that shape, transposed when it has
/// fewer rows than columns, is factored as Q·R; Q with the signs that make R's diagonal positive (PyTorch's
/// sign correction, which makes Q unique and Haar-distributed) is transposed back and scaled by the gain.
/// So the rows are orthonormal·gain when rows ≤ cols (W·Wᵀ = gain²·I), the columns otherwise (Wᵀ·W = gain²·I).
/// Gram–Schmidt run twice in double precision yields exactly that Q; the draws come from System.Random, so
/// the values are deterministic for a seed but differ from PyTorch's generator.
/// </remarks>
public static class Orthogonal
{
    /// <summary>Fills <paramref name="weight"/> (rank ≥ 2) with a random semi-orthogonal matrix times <paramref name="gain"/>.</summary>
    public static void Fill(Tensor weight, double gain, Random random)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(random);
        if (weight.Rank < 2 || weight.Length == 0)
        {
            throw new ArgumentException($"Orthogonal initialization needs a non-empty tensor of rank ≥ 2; got {weight}.", nameof(weight));
        }

        if (!double.IsFinite(gain))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "The gain must be finite.");
        }

        var rows = weight.Dim(0);
        var cols = weight.Length / rows;
        var gaussian = new double[rows * cols];
        FillStandardNormal(gaussian, random);

        // Factor A (m × n, m ≥ n): the Gaussian matrix, or its transpose when it is wide. Column j of A is kept
        // contiguous at basis[j·m ..].
        var transposed = rows < cols;
        var m = transposed ? cols : rows;
        var n = transposed ? rows : cols;
        var basis = new double[n * m];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < m; i++)
            {
                basis[(j * m) + i] = transposed ? gaussian[(j * cols) + i] : gaussian[(i * cols) + j];
            }
        }

        Orthonormalize(basis, m, n);

        var values = weight.Span;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                // Wide: W = Qᵀ, so W[r, c] = Q[c, r]; tall: W = Q.
                var q = transposed ? basis[(r * m) + c] : basis[(c * m) + r];
                values[(r * cols) + c] = (float)(gain * q);
            }
        }
    }

    /// <summary>Box–Muller draws from N(0, 1), consumed in order.</summary>
    private static void FillStandardNormal(Span<double> values, Random random)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
            values[i] = radius * cos;
            if (i + 1 < values.Length)
            {
                values[i + 1] = radius * sin;
            }
        }
    }

    /// <summary>Replaces the n columns (each m long, contiguous) by the Q of their QR factorization with a positive-diagonal R.</summary>
    private static void Orthonormalize(double[] basis, int m, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var column = basis.AsSpan(j * m, m);

            // Modified Gram–Schmidt, twice: one pass leaves errors growing with the condition number;
            // a second brings orthogonality to machine precision ("twice is enough", Giraud et al. 2005).
            for (var pass = 0; pass < 2; pass++)
            {
                for (var i = 0; i < j; i++)
                {
                    var previous = basis.AsSpan(i * m, m);
                    SubtractScaled(column, previous, Dot(previous, column));
                }
            }

            var norm = Math.Sqrt(Dot(column, column));
            if (!(norm > 0))
            {
                throw new InvalidOperationException("The Gaussian matrix was rank deficient; draw again with another seed.");
            }

            Scale(column, 1.0 / norm);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a);
        var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
        var sum = Vector<double>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<double>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static void SubtractScaled(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        var vt = MemoryMarshal.Cast<double, Vector<double>>(target);
        var vs = MemoryMarshal.Cast<double, Vector<double>>(source);
        var f = new Vector<double>(factor);
        for (var i = 0; i < vt.Length; i++)
        {
            vt[i] -= f * vs[i];
        }

        for (var i = vt.Length * Vector<double>.Count; i < target.Length; i++)
        {
            target[i] -= factor * source[i];
        }
    }

    private static void Scale(Span<double> target, double factor)
    {
        foreach (ref var value in target)
        {
            value *= factor;
        }
    }
}

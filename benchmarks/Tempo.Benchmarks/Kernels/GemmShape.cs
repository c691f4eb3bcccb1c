using System.Globalization;
using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>One SGEMM case: transpose form and sizes (C is M×N, the shared dimension K).</summary>
public sealed record GemmShape(Transpose TransA, Transpose TransB, int M, int K, int N) : IFlopCount
{
    /// <inheritdoc/>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Parses "NN 1024x1024x1024" (op letters, then M×K×N).</summary>
    public static GemmShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ');
        var sizes = parts[1].Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return new GemmShape(
            parts[0][0] == 'T' ? Transpose.Yes : Transpose.No,
            parts[0][1] == 'T' ? Transpose.Yes : Transpose.No,
            sizes[0], sizes[1], sizes[2]);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(TransA == Transpose.Yes ? 'T' : 'N')}{(TransB == Transpose.Yes ? 'T' : 'N')} {M}x{K}x{N}");
}

using System.Globalization;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels.Selection;

/// <summary>What to force instead of choosing from the CPU (see <see cref="KernelSelection"/>); null members are chosen.</summary>
/// <param name="Path">The vector path, or null for the widest the hardware runs.</param>
/// <param name="Blocking">The GEMM cache blocking, or null for blocks derived from the cache sizes.</param>
public sealed record KernelOptions(SimdPath? Path = null, GemmBlocking? Blocking = null)
{
    private static readonly (string Name, SimdPath? Path)[] _names =
    [
        ("auto", null), ("avx512", SimdPath.Vector512), ("avx2", SimdPath.Vector256), ("vector128", SimdPath.Vector128), ("scalar", SimdPath.Scalar),
    ];

    /// <summary>Parses the <c>TEMPO_KERNELS</c> syntax: comma-separated items, a path name and/or <c>blocks=MCxKCxNC</c>.</summary>
    /// <param name="text">The text, or null/empty for no override.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An item is not a path name or a well-formed <c>blocks=</c>.</exception>
    public static KernelOptions Parse(string? text)
    {
        var options = new KernelOptions();
        foreach (var item in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.StartsWith("blocks=", StringComparison.OrdinalIgnoreCase))
            {
                var sizes = item["blocks=".Length..].Split('x');
                if (sizes.Length != 3 || !TryPositive(sizes[0], out var mc) || !TryPositive(sizes[1], out var kc) || !TryPositive(sizes[2], out var nc))
                {
                    throw new ArgumentException($"{KernelSelection.EnvironmentVariable}: '{item}' is not blocks=MCxKCxNC with three positive sizes (e.g. blocks=128x256x2048).", nameof(text));
                }

                options = options with { Blocking = new GemmBlocking(mc, kc, nc) };
                continue;
            }

            var match = Array.FindIndex(_names, n => string.Equals(n.Name, item, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                throw new ArgumentException($"{KernelSelection.EnvironmentVariable}: '{item}' is not one of auto, avx512, avx2, vector128, scalar or blocks=MCxKCxNC.", nameof(text));
            }

            options = options with { Path = _names[match].Path };
        }

        return options;
    }

    /// <summary>The <c>TEMPO_KERNELS</c> name of a path ("avx512", "avx2", "vector128", "scalar").</summary>
    /// <param name="path">The path.</param>
    /// <returns>Its name.</returns>
    public static string Name(SimdPath path) => Array.Find(_names, n => n.Path == path).Name ?? path.ToString();

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0 && value <= 1 << 16;
}

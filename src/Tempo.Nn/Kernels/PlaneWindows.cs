using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>
/// Moves a window of a plane (rows × width floats of a plane <c>planeWidth</c> wide) to and from one contiguous run with
/// AVX-512 compress and expand: the window's rows, read as one stream of 16-float chunks, drop the columns between them
/// in registers.
/// </summary>
/// <remarks>
/// A convolution's column matrix is made of such windows, and its output rows are short (9 and 7 floats in the Nature
/// CNN's second and third layers): copied row by row, the fixed cost per row (address arithmetic, a masked tail) was most
/// of im2col's time. A chunk is moved with one load, one compress or expand and one masked store, whatever the rows' width.
/// The chunks' masks depend only on the window's shape, so they are made once per shape (<see cref="Init"/>) and reused
/// for every window of a plane.
/// </remarks>
[SkipLocalsInit]
internal unsafe ref struct PlaneWindows
{
    /// <summary>Most chunks a window may span (1,024 floats): the masks live on the caller's stack.</summary>
    public const int MaxChunks = 64;

    private Vector512<float>* _select;
    private Vector512<float>* _store;
    private int _chunks;

    /// <summary>Whether windows can be moved this way with <paramref name="path"/> on this machine.</summary>
    public static bool IsSupported(SimdPath path) => path == SimdPath.Vector512 && Avx512F.IsSupported;

    /// <summary>Chunks of 16 floats a window spans, from its first element to its last.</summary>
    public static int Chunks(int rows, int width, int planeWidth) => (Span(rows, width, planeWidth) + 15) / 16;

    /// <summary>Makes the masks of a window shape into <paramref name="select"/> and <paramref name="store"/> (<see cref="Chunks"/> vectors each).</summary>
    /// <param name="rows">Rows of the window.</param>
    /// <param name="width">Columns of the window.</param>
    /// <param name="planeWidth">Floats from one row of the plane to the next (≥ <paramref name="width"/>).</param>
    /// <param name="select">Per chunk, the lanes inside the window.</param>
    /// <param name="store">Per chunk, the lanes of the run it writes: as many as it selects, more when later chunks overwrite them, never past the run's end.</param>
    public static PlaneWindows Init(int rows, int width, int planeWidth, Vector512<float>* select, Vector512<float>* store)
    {
        var span = Span(rows, width, planeWidth);
        var chunks = (span + 15) / 16;
        var counts = stackalloc int[chunks];
        var lanes = stackalloc uint[16];
        for (var k = 0; k < chunks; k++)
        {
            counts[k] = 0;
            for (var lane = 0; lane < 16; lane++)
            {
                var t = (16 * k) + lane;
                var inside = t < span && t % planeWidth < width;
                lanes[lane] = inside ? uint.MaxValue : 0u;
                counts[k] += inside ? 1 : 0;
            }

            select[k] = Vector512.Load(lanes).AsSingle();
        }

        var remaining = 0;
        for (var k = chunks - 1; k >= 0; k--)
        {
            remaining += counts[k];
            store[k] = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(Math.Min(16, remaining))).AsSingle();
        }

        return new PlaneWindows { _select = select, _store = store, _chunks = chunks };
    }

    /// <summary>run[0 … rows·width) = the window starting at <paramref name="window"/>, row after row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Gather(float* window, float* run)
    {
        var last = _chunks - 1;
        for (var k = 0; k < last; k++)
        {
            var select = _select[k];
            var packed = Avx512F.Compress(Vector512<float>.Zero, select, Vector512.Load(window + (16 * k)));
            Avx512F.MaskStore(run, _store[k], packed);
            run += BitOperations.PopCount(select.ExtractMostSignificantBits());
        }

        // The last chunk may end inside the plane's last row: a masked load reads nothing past the window.
        var tail = Avx512F.MaskLoad(window + (16 * last), _select[last], Vector512<float>.Zero);
        Avx512F.MaskStore(run, _store[last], Avx512F.Compress(Vector512<float>.Zero, _select[last], tail));
    }

    /// <summary>The adjoint of <see cref="Gather"/>: adds run[0 … rows·width) into the window, row after row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ScatterAdd(float* run, float* window)
    {
        var last = _chunks - 1;
        for (var k = 0; k < last; k++)
        {
            var select = _select[k];
            var values = Avx512F.Expand(Vector512<float>.Zero, select, Avx512F.MaskLoad(run, _store[k], Vector512<float>.Zero));

            // Lanes between the window's rows add zero: the plane there is left as it was.
            var target = window + (16 * k);
            (Vector512.Load(target) + values).Store(target);
            run += BitOperations.PopCount(select.ExtractMostSignificantBits());
        }

        var lastSelect = _select[last];
        var tail = Avx512F.Expand(Vector512<float>.Zero, lastSelect, Avx512F.MaskLoad(run, _store[last], Vector512<float>.Zero));
        var end = window + (16 * last);
        Avx512F.MaskStore(end, lastSelect, Avx512F.MaskLoad(end, lastSelect, Vector512<float>.Zero) + tail);
    }

    private static int Span(int rows, int width, int planeWidth) => ((rows - 1) * planeWidth) + width;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Lowers one NCHW image to the column matrix of a convolution and back (im2col / col2im, as in Caffe and PyTorch).</summary>
/// <remarks>
/// The column matrix has one row per (channel, kernel row, kernel column) and one column per output position, so the
/// convolution of one image is the GEMM weight (Out × C·kh·kw) · columns (C·kh·kw × outH·outW), written straight into
/// the NCHW output. Every row of it is made of runs of outW floats. At stride 1 a run is a contiguous piece of an input
/// row. At stride s &gt; 1 without padding the image is first split into s×s phase planes (space-to-depth:
/// phase[c, a, b][Y, X] = image[c, s·Y + a, s·X + b]), after which every run is again contiguous; this turns the
/// strided gathers of the Nature-CNN layers (8×8/4, 4×4/2) into vector copies. Strided, padded convolutions fall back to
/// an element-wise gather.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Scratch floats <see cref="Pack"/> and <see cref="Unpack"/> need besides the column matrix (the phase planes).</summary>
    public static long PhaseFloats(in Conv2dGeometry g) =>
        UsesPhases(g) ? (long)g.InChannels * g.Stride * g.Stride * PhaseHeight(g) * PhaseWidth(g) : 0;

    /// <summary>Writes the (C·kh·kw) × (outH·outW) column matrix of <paramref name="image"/> (C×H×W) to <paramref name="columns"/>.</summary>
    /// <param name="path">The vector width (AVX-512 moves whole windows, see <see cref="PlaneWindows"/>).</param>
    /// <param name="geometry">The sizes.</param>
    /// <param name="image">One C×H×W image.</param>
    /// <param name="columns">The column matrix (written).</param>
    /// <param name="rowStride">Floats from one row of the column matrix to the next (outH·outW, or more when several images' matrices lie side by side).</param>
    /// <param name="phases"><see cref="PhaseFloats"/> floats of scratch.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(SimdPath path, in Conv2dGeometry geometry, float* image, float* columns, int rowStride, float* phases)
    {
        var g = geometry;
        if (UsesPhases(g))
        {
            SplitPhases(path, g, image, phases);
            PackRuns(path, g, phases, PhaseHeight(g), PhaseWidth(g), g.Stride, columns, rowStride);
        }
        else if (g.Stride == 1)
        {
            PackRuns(path, g, image, g.Height, g.Width, 1, columns, rowStride);
        }
        else
        {
            PackGather(g, image, columns, rowStride);
        }
    }

    /// <summary>Writes col2im(columns) to <paramref name="image"/>: every column entry added back to the input position it was read from.</summary>
    /// <param name="path">The vector width (AVX-512 moves whole windows, see <see cref="PlaneWindows"/>).</param>
    /// <param name="geometry">The sizes.</param>
    /// <param name="columns">The column matrix.</param>
    /// <param name="rowStride">Floats from one row of the column matrix to the next.</param>
    /// <param name="image">One C×H×W image (overwritten).</param>
    /// <param name="phases"><see cref="PhaseFloats"/> floats of scratch.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unpack(SimdPath path, in Conv2dGeometry geometry, float* columns, int rowStride, float* image, float* phases)
    {
        var g = geometry;
        if (UsesPhases(g))
        {
            new Span<float>(phases, (int)PhaseFloats(g)).Clear();
            UnpackRuns(path, g, columns, rowStride, phases, PhaseHeight(g), PhaseWidth(g), g.Stride);
            MergePhases(path, g, phases, image);
        }
        else
        {
            new Span<float>(image, g.InChannels * g.Height * g.Width).Clear();
            if (g.Stride == 1)
            {
                UnpackRuns(path, g, columns, rowStride, image, g.Height, g.Width, 1);
            }
            else
            {
                UnpackGather(g, columns, rowStride, image);
            }
        }
    }

    private static bool UsesPhases(in Conv2dGeometry g) => g.Stride > 1 && g.Padding == 0;

    /// <summary>Whole windows for rows shorter than a vector, where a copy per row would pay a masked tail for a few floats (9 and 7 in the Nature CNN).</summary>
    private static bool UsesWindows(SimdPath path, int outWidth, int chunks) =>
        outWidth < 16 && chunks <= PlaneWindows.MaxChunks && PlaneWindows.IsSupported(path);

    private static int PhaseHeight(in Conv2dGeometry g) => (g.Height + g.Stride - 1) / g.Stride;

    private static int PhaseWidth(in Conv2dGeometry g) => (g.Width + g.Stride - 1) / g.Stride;

    /// <summary>Column-matrix rows as runs from planes: plane (c, i mod s, j mod s) at row y + i / s, column j / s (minus padding at s = 1).</summary>
    /// <param name="path">The vector width.</param>
    /// <param name="g">The sizes.</param>
    /// <param name="planes">The image (s = 1) or its phase planes.</param>
    /// <param name="planeHeight">Rows per plane.</param>
    /// <param name="planeWidth">Columns per plane.</param>
    /// <param name="s">The stride folded into the planes (1 for the image itself).</param>
    /// <param name="columns">The column matrix (written).</param>
    /// <param name="rowStride">Floats from one row of the column matrix to the next.</param>
    private static void PackRuns(SimdPath path, in Conv2dGeometry g, float* planes, int planeHeight, int planeWidth, int s, float* columns, int rowStride)
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, padding = s == 1 ? g.Padding : 0;
        var planeFloats = (nint)planeHeight * planeWidth;
        var chunks = PlaneWindows.Chunks(outHeight, outWidth, planeWidth);
        var useWindows = UsesWindows(path, outWidth, chunks);
        var select = stackalloc Vector512<float>[useWindows ? chunks : 0];
        var store = stackalloc Vector512<float>[useWindows ? chunks : 0];
        var windows = useWindows ? PlaneWindows.Init(outHeight, outWidth, planeWidth, select, store) : default;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var plane = planes + ((((nint)c * s * s) + ((i % s) * s) + (j % s)) * planeFloats);
                    var rowOffset = (i / s) - padding;
                    var columnOffset = (j / s) - padding;
                    var (x0, x1) = ValidRange(planeWidth, outWidth, columnOffset);
                    if (x0 == 0 && x1 == outWidth && rowOffset >= 0 && outHeight - 1 + rowOffset < planeHeight)
                    {
                        // The whole row is inside the plane (always so without padding): one window, or one run copy per output row.
                        var source = plane + ((nint)rowOffset * planeWidth) + columnOffset;
                        if (useWindows)
                        {
                            windows.Gather(source, row);
                            row += rowStride;
                            continue;
                        }

                        for (var y = 0; y < outHeight; y++)
                        {
                            CopyRun(source + ((nint)y * planeWidth), row + (y * outWidth), outWidth);
                        }

                        row += rowStride;
                        continue;
                    }

                    for (var y = 0; y < outHeight; y++)
                    {
                        var target = row + (y * outWidth);
                        var iy = y + rowOffset;
                        if ((uint)iy >= (uint)planeHeight || x0 >= x1)
                        {
                            new Span<float>(target, outWidth).Clear();
                            continue;
                        }

                        var source = plane + ((nint)iy * planeWidth) + columnOffset;
                        for (var x = 0; x < x0; x++)
                        {
                            target[x] = 0f;
                        }

                        CopyRun(source + x0, target + x0, x1 - x0);
                        for (var x = x1; x < outWidth; x++)
                        {
                            target[x] = 0f;
                        }
                    }

                    row += rowStride;
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="PackRuns"/>: adds every run back into its plane.</summary>
    private static void UnpackRuns(SimdPath path, in Conv2dGeometry g, float* columns, int rowStride, float* planes, int planeHeight, int planeWidth, int s)
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, padding = s == 1 ? g.Padding : 0;
        var planeFloats = (nint)planeHeight * planeWidth;
        var chunks = PlaneWindows.Chunks(outHeight, outWidth, planeWidth);
        var useWindows = UsesWindows(path, outWidth, chunks);
        var select = stackalloc Vector512<float>[useWindows ? chunks : 0];
        var store = stackalloc Vector512<float>[useWindows ? chunks : 0];
        var windows = useWindows ? PlaneWindows.Init(outHeight, outWidth, planeWidth, select, store) : default;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var plane = planes + ((((nint)c * s * s) + ((i % s) * s) + (j % s)) * planeFloats);
                    var rowOffset = (i / s) - padding;
                    var columnOffset = (j / s) - padding;
                    var (x0, x1) = ValidRange(planeWidth, outWidth, columnOffset);
                    if (x0 == 0 && x1 == outWidth && rowOffset >= 0 && outHeight - 1 + rowOffset < planeHeight)
                    {
                        var target = plane + ((nint)rowOffset * planeWidth) + columnOffset;
                        if (useWindows)
                        {
                            windows.ScatterAdd(row, target);
                            row += rowStride;
                            continue;
                        }

                        for (var y = 0; y < outHeight; y++)
                        {
                            AddRun(row + (y * outWidth), target + ((nint)y * planeWidth), outWidth);
                        }

                        row += rowStride;
                        continue;
                    }

                    for (var y = 0; y < outHeight; y++)
                    {
                        var iy = y + rowOffset;
                        if ((uint)iy < (uint)planeHeight && x0 < x1)
                        {
                            AddRun(row + (y * outWidth) + x0, plane + ((nint)iy * planeWidth) + columnOffset + x0, x1 - x0);
                        }
                    }

                    row += rowStride;
                }
            }
        }
    }

    /// <summary>phase[c, a, b][Y, X] = image[c, s·Y + a, s·X + b] (entries past the image edge are never read).</summary>
    private static void SplitPhases(SimdPath path, in Conv2dGeometry g, float* image, float* phases)
    {
        int s = g.Stride, phaseHeight = PhaseHeight(g), phaseWidth = PhaseWidth(g);
        var planeFloats = (nint)phaseHeight * phaseWidth;
        for (var c = 0; c < g.InChannels; c++)
        {
            for (var r = 0; r < g.Height; r++)
            {
                var source = image + ((((nint)c * g.Height) + r) * g.Width);
                var phaseRow = phases + ((((nint)c * s * s) + ((r % s) * s)) * planeFloats) + ((r / s) * phaseWidth);
                var done = path == SimdPath.Vector512 ? SplitRow(source, g.Width, s, phaseRow, planeFloats) : 0;
                for (var b = 0; b < s; b++)
                {
                    var target = phaseRow + (b * planeFloats);
                    var count = (g.Width - b + s - 1) / s;
                    for (var x = done; x < count; x++)
                    {
                        target[x] = source[(x * s) + b];
                    }
                }
            }
        }
    }

    /// <summary>
    /// De-interleaves one image row into its phases with AVX-512 two-source permutes (stride 2 or 4), 16 outputs per phase
    /// at a time, the last block through masked loads and stores; returns how many outputs per phase it wrote (0 when it
    /// cannot help).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SplitRow(float* source, int width, int s, float* phaseRow, nint planeFloats)
    {
        if (!Avx512F.IsSupported || (s != 2 && s != 4))
        {
            return 0;
        }

        var blocks = (width + (16 * s) - 1) / (16 * s);
        var indices = Vector512<int>.Indices;
        for (var b = 0; b < s; b++)
        {
            // Lane k of a two-source permute picks element s·k + b of the 32 floats in (low, high).
            var pick = (indices * s) + Vector512.Create(b);
            var target = phaseRow + (b * planeFloats);
            var count = (width - b + s - 1) / s;
            for (var block = 0; block < blocks; block++)
            {
                var origin = source + (block * 16 * s);
                var left = width - (block * 16 * s);
                Vector512<float> result;
                if (s == 2)
                {
                    result = Avx512F.PermuteVar16x32x2(Load(origin, left), pick, Load(origin + 16, left - 16));
                }
                else
                {
                    // Two permutes give 8 phase elements each in their low halves; a third joins the halves.
                    var low = Avx512F.PermuteVar16x32x2(Load(origin, left), pick, Load(origin + 16, left - 16));
                    var high = Avx512F.PermuteVar16x32x2(Load(origin + 32, left - 32), pick, Load(origin + 48, left - 48));
                    var join = Vector512.ConditionalSelect(Vector512.LessThan(indices, Vector512.Create(8)), indices, indices + Vector512.Create(8));
                    result = Avx512F.PermuteVar16x32x2(low, join, high);
                }

                var outputs = count - (block * 16);
                if (outputs >= 16)
                {
                    result.Store(target + (block * 16));
                }
                else
                {
                    Avx512F.MaskStore(target + (block * 16), Vector512.LessThan(indices, Vector512.Create(outputs)).AsSingle(), result);
                }
            }
        }

        return int.MaxValue;
    }

    /// <summary>Up to 16 floats of a row with <paramref name="left"/> floats left in it (zeros past its end, which is never read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(float* source, int left) =>
        left >= 16 ? Vector512.Load(source)
        : left <= 0 ? Vector512<float>.Zero
        : Avx512F.MaskLoad(source, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(left)).AsSingle(), Vector512<float>.Zero);

    /// <summary>image[c, s·Y + a, s·X + b] = phase[c, a, b][Y, X]: the inverse of <see cref="SplitPhases"/>.</summary>
    private static void MergePhases(SimdPath path, in Conv2dGeometry g, float* phases, float* image)
    {
        int s = g.Stride, phaseHeight = PhaseHeight(g), phaseWidth = PhaseWidth(g);
        var planeFloats = (nint)phaseHeight * phaseWidth;
        var interleave = path == SimdPath.Vector512 && s == 2 && Avx512F.IsSupported;
        for (var c = 0; c < g.InChannels; c++)
        {
            for (var r = 0; r < g.Height; r++)
            {
                var target = image + ((((nint)c * g.Height) + r) * g.Width);
                var phaseRow = phases + ((((nint)c * s * s) + ((r % s) * s)) * planeFloats) + ((r / s) * phaseWidth);
                if (interleave)
                {
                    MergeRow2(phaseRow, phaseRow + planeFloats, g.Width, target);
                    continue;
                }

                for (var b = 0; b < s; b++)
                {
                    var source = phaseRow + (b * planeFloats);
                    var count = (g.Width - b + s - 1) / s;
                    for (var x = 0; x < count; x++)
                    {
                        target[(x * s) + b] = source[x];
                    }
                }
            }
        }
    }

    /// <summary>target[2x] = even[x], target[2x + 1] = odd[x] for one row <paramref name="width"/> wide: the stride-2 merge, 32 floats per two permutes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeRow2(float* even, float* odd, int width, float* target)
    {
        var indices = Vector512<int>.Indices;
        var half = indices >>> 1;
        var fromOdd = (indices & Vector512<int>.One) * 16;
        var low = half + fromOdd;
        var high = low + Vector512.Create(8);
        var evens = (width + 1) / 2;
        var odds = width / 2;
        for (var x = 0; x < width; x += 32)
        {
            var p = x / 2;
            var e = Load(even + p, evens - p);
            var o = Load(odd + p, odds - p);
            Store(target + x, width - x, Avx512F.PermuteVar16x32x2(e, low, o));
            Store(target + x + 16, width - x - 16, Avx512F.PermuteVar16x32x2(e, high, o));
        }
    }

    /// <summary>Stores up to 16 floats of <paramref name="values"/> into a row with <paramref name="left"/> floats left in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* target, int left, Vector512<float> values)
    {
        if (left >= 16)
        {
            values.Store(target);
        }
        else if (left > 0)
        {
            Avx512F.MaskStore(target, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(left)).AsSingle(), values);
        }
    }

    /// <summary>The element-wise gather for strided, padded convolutions.</summary>
    private static void PackGather(in Conv2dGeometry g, float* image, float* columns, int rowStride)
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, stride = g.Stride, padding = g.Padding;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = image + ((nint)c * g.Height * g.Width);
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var (x0, x1) = ValidStridedRange(g.Width, outWidth, stride, padding, j);
                    for (var y = 0; y < outHeight; y++)
                    {
                        var target = row + (y * outWidth);
                        var iy = (y * stride) + i - padding;
                        new Span<float>(target, outWidth).Clear();
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }

                        var source = plane + (iy * g.Width) + j - padding;
                        for (var x = x0; x < x1; x++)
                        {
                            target[x] = source[x * stride];
                        }
                    }

                    row += rowStride;
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="PackGather"/> (adds into the image).</summary>
    private static void UnpackGather(in Conv2dGeometry g, float* columns, int rowStride, float* image)
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, stride = g.Stride, padding = g.Padding;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = image + ((nint)c * g.Height * g.Width);
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var (x0, x1) = ValidStridedRange(g.Width, outWidth, stride, padding, j);
                    for (var y = 0; y < outHeight; y++)
                    {
                        var iy = (y * stride) + i - padding;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }

                        var source = row + (y * outWidth);
                        var target = plane + (iy * g.Width) + j - padding;
                        for (var x = x0; x < x1; x++)
                        {
                            target[x * stride] += source[x];
                        }
                    }

                    row += rowStride;
                }
            }
        }
    }

    /// <summary>Output columns [x0, x1) whose plane column x + offset lies inside [0, width).</summary>
    private static (int Start, int End) ValidRange(int width, int outWidth, int offset)
    {
        var start = Math.Max(0, -offset);
        var end = Math.Min(outWidth, width - offset);
        return (start, Math.Max(start, end));
    }

    /// <summary>Output columns [x0, x1) whose input column x·stride + j − padding lies inside [0, width).</summary>
    private static (int Start, int End) ValidStridedRange(int width, int outWidth, int stride, int padding, int j)
    {
        var last = width - 1 + padding - j;
        if (last < 0)
        {
            return (0, 0);
        }

        var start = Math.Max(0, (padding - j + stride - 1) / stride);
        var end = Math.Min(outWidth, (last / stride) + 1);
        return (start, Math.Max(start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* source, float* target, int count)
    {
        var x = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            for (; x + 16 <= count; x += 16)
            {
                Vector512.Load(source + x).Store(target + x);
            }

            if (x < count)
            {
                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count - x)).AsSingle();
                Avx512F.MaskStore(target + x, mask, Avx512F.MaskLoad(source + x, mask, Vector512<float>.Zero));
            }

            return;
        }

        for (; x < count; x++)
        {
            target[x] = source[x];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRun(float* source, float* target, int count)
    {
        var x = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            for (; x + 16 <= count; x += 16)
            {
                (Vector512.Load(target + x) + Vector512.Load(source + x)).Store(target + x);
            }

            if (x < count)
            {
                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count - x)).AsSingle();
                var sum = Avx512F.MaskLoad(target + x, mask, Vector512<float>.Zero) + Avx512F.MaskLoad(source + x, mask, Vector512<float>.Zero);
                Avx512F.MaskStore(target + x, mask, sum);
            }

            return;
        }

        for (; x < count; x++)
        {
            target[x] += source[x];
        }
    }
}

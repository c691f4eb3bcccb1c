using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Register-blocked GEMM micro-kernels over packed panels, hand-unrolled once and generic over the vector width.</summary>
/// <remarks>
/// Each kernel keeps a rows×(2·width) tile of C in registers (8×32 floats = 16 zmm with Vector512) and per step of
/// the shared dimension loads two B vectors and broadcasts one A value per row. The 6-row kernel needs 12
/// accumulators + 3 temporaries, which fits the 16 vector registers of AVX2 and SSE machines.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class MicroKernels
{
    /// <summary>The most rows any micro-kernel computes.</summary>
    public const int MaxRows = 8;

    /// <summary>The most columns any micro-kernel computes (2 × 16 lanes).</summary>
    public const int MaxColumns = 32;

    /// <summary>Rows × columns of the packed micro-kernel for a path: 8×32 with Vector512 (16 of its 32 registers hold C), 6×(2·width) otherwise (12 of 16).</summary>
    public static (int Rows, int Columns) Tile(SimdPath path) => path switch
    {
        SimdPath.Vector512 => (8, 32),
        SimdPath.Vector256 => (6, 16),
        SimdPath.Vector128 => (6, 8),
        _ => (1, 1),
    };

    /// <summary>The 8×(2·width) register-blocked kernel: C tile = β·C + (packed A panel)·(packed B panel) over <paramref name="depth"/>.</summary>
    /// <param name="depth">kc, the shared dimension of this pass.</param>
    /// <param name="a">A panel: 8 consecutive floats (one per row) per step of depth, steps <paramref name="aStride"/> apart (8 when packed; lda when read in place from a transposed A).</param>
    /// <param name="aStride">Floats from one step of A's depth to the next.</param>
    /// <param name="b">Packed B panel: depth × 2·width floats, column index fastest.</param>
    /// <param name="c">Top-left of the C tile.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="rows">Valid rows of the tile (≤ 8); padded rows are computed and dropped.</param>
    /// <param name="columns">Valid columns of the tile (≤ 2·width).</param>
    /// <param name="beta">0 overwrites C, otherwise C is scaled by β and accumulated into.</param>
    /// <param name="bias">The tile's column bias, added to the sums before they are stored, or null; only with β = 0 (the sums are then the whole result).</param>
    /// <param name="relu">Whether ReLU is applied (after the bias) before the tile is stored; only with β = 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8<TOps, TVector>(int depth, float* a, nint aStride, float* b, float* c, nint ldc, int rows, int columns, float beta, float* bias = null, bool relu = false)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        PrefetchTile(c, ldc, 8);
        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;
        TVector c40 = TOps.Zero, c41 = TOps.Zero;
        TVector c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero;
        TVector c70 = TOps.Zero, c71 = TOps.Zero;
        for (var p = depth; p > 0; p--)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + width);
            var a0 = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(a0, b0, c00);
            c01 = TOps.MultiplyAdd(a0, b1, c01);
            var a1 = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(a1, b0, c10);
            c11 = TOps.MultiplyAdd(a1, b1, c11);
            var a2 = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(a2, b0, c20);
            c21 = TOps.MultiplyAdd(a2, b1, c21);
            var a3 = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(a3, b0, c30);
            c31 = TOps.MultiplyAdd(a3, b1, c31);
            var a4 = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(a4, b0, c40);
            c41 = TOps.MultiplyAdd(a4, b1, c41);
            var a5 = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(a5, b0, c50);
            c51 = TOps.MultiplyAdd(a5, b1, c51);
            var a6 = TOps.Broadcast(a[6]);
            c60 = TOps.MultiplyAdd(a6, b0, c60);
            c61 = TOps.MultiplyAdd(a6, b1, c61);
            var a7 = TOps.Broadcast(a[7]);
            c70 = TOps.MultiplyAdd(a7, b0, c70);
            c71 = TOps.MultiplyAdd(a7, b1, c71);
            a += aStride;
            b += 2 * width;
        }

        if (bias != null)
        {
            var bias0 = columns >= width ? TOps.Load(bias) : TOps.LoadMasked(bias, TOps.FirstLanes(columns));
            var bias1 = columns == 2 * width ? TOps.Load(bias + width) : columns > width ? TOps.LoadMasked(bias + width, TOps.FirstLanes(columns - width)) : TOps.Zero;
            c00 = TOps.Add(c00, bias0);
            c01 = TOps.Add(c01, bias1);
            c10 = TOps.Add(c10, bias0);
            c11 = TOps.Add(c11, bias1);
            c20 = TOps.Add(c20, bias0);
            c21 = TOps.Add(c21, bias1);
            c30 = TOps.Add(c30, bias0);
            c31 = TOps.Add(c31, bias1);
            c40 = TOps.Add(c40, bias0);
            c41 = TOps.Add(c41, bias1);
            c50 = TOps.Add(c50, bias0);
            c51 = TOps.Add(c51, bias1);
            c60 = TOps.Add(c60, bias0);
            c61 = TOps.Add(c61, bias1);
            c70 = TOps.Add(c70, bias0);
            c71 = TOps.Add(c71, bias1);
        }

        if (relu)
        {
            c00 = TOps.Max(c00, TOps.Zero);
            c01 = TOps.Max(c01, TOps.Zero);
            c10 = TOps.Max(c10, TOps.Zero);
            c11 = TOps.Max(c11, TOps.Zero);
            c20 = TOps.Max(c20, TOps.Zero);
            c21 = TOps.Max(c21, TOps.Zero);
            c30 = TOps.Max(c30, TOps.Zero);
            c31 = TOps.Max(c31, TOps.Zero);
            c40 = TOps.Max(c40, TOps.Zero);
            c41 = TOps.Max(c41, TOps.Zero);
            c50 = TOps.Max(c50, TOps.Zero);
            c51 = TOps.Max(c51, TOps.Zero);
            c60 = TOps.Max(c60, TOps.Zero);
            c61 = TOps.Max(c61, TOps.Zero);
            c70 = TOps.Max(c70, TOps.Zero);
            c71 = TOps.Max(c71, TOps.Zero);
        }

        if (rows == 8 && columns == 2 * width)
        {
            StoreRow<TOps, TVector>(c + (0 * ldc), c00, c01, beta);
            StoreRow<TOps, TVector>(c + (1 * ldc), c10, c11, beta);
            StoreRow<TOps, TVector>(c + (2 * ldc), c20, c21, beta);
            StoreRow<TOps, TVector>(c + (3 * ldc), c30, c31, beta);
            StoreRow<TOps, TVector>(c + (4 * ldc), c40, c41, beta);
            StoreRow<TOps, TVector>(c + (5 * ldc), c50, c51, beta);
            StoreRow<TOps, TVector>(c + (6 * ldc), c60, c61, beta);
            StoreRow<TOps, TVector>(c + (7 * ldc), c70, c71, beta);
            return;
        }

        if (TOps.HasMaskedMemory)
        {
            // A ragged tile (the last panel of columns, or of rows) stores through lane masks instead of a scratch tile.
            var lowMask = TOps.FirstLanes(Math.Min(columns, width));
            var highMask = TOps.FirstLanes(Math.Max(columns - width, 0));
            StoreRowMasked<TOps, TVector>(c + (0 * ldc), c00, c01, lowMask, highMask, columns > width, beta);
            if (rows == 1)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (1 * ldc), c10, c11, lowMask, highMask, columns > width, beta);
            if (rows == 2)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (2 * ldc), c20, c21, lowMask, highMask, columns > width, beta);
            if (rows == 3)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (3 * ldc), c30, c31, lowMask, highMask, columns > width, beta);
            if (rows == 4)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (4 * ldc), c40, c41, lowMask, highMask, columns > width, beta);
            if (rows == 5)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (5 * ldc), c50, c51, lowMask, highMask, columns > width, beta);
            if (rows == 6)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (6 * ldc), c60, c61, lowMask, highMask, columns > width, beta);
            if (rows == 7)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (7 * ldc), c70, c71, lowMask, highMask, columns > width, beta);
            return;
        }

        var tile = stackalloc float[8 * MaxColumns];
        TOps.Store(tile + (0 * MaxColumns), c00);
        TOps.Store(tile + (0 * MaxColumns) + width, c01);
        TOps.Store(tile + (1 * MaxColumns), c10);
        TOps.Store(tile + (1 * MaxColumns) + width, c11);
        TOps.Store(tile + (2 * MaxColumns), c20);
        TOps.Store(tile + (2 * MaxColumns) + width, c21);
        TOps.Store(tile + (3 * MaxColumns), c30);
        TOps.Store(tile + (3 * MaxColumns) + width, c31);
        TOps.Store(tile + (4 * MaxColumns), c40);
        TOps.Store(tile + (4 * MaxColumns) + width, c41);
        TOps.Store(tile + (5 * MaxColumns), c50);
        TOps.Store(tile + (5 * MaxColumns) + width, c51);
        TOps.Store(tile + (6 * MaxColumns), c60);
        TOps.Store(tile + (6 * MaxColumns) + width, c61);
        TOps.Store(tile + (7 * MaxColumns), c70);
        TOps.Store(tile + (7 * MaxColumns) + width, c71);
        StorePartial(tile, c, ldc, rows, columns, beta);
    }

    /// <summary>The 6×(2·width) register-blocked kernel: C tile = β·C + (packed A panel)·(packed B panel) over <paramref name="depth"/>.</summary>
    /// <param name="depth">kc, the shared dimension of this pass.</param>
    /// <param name="a">A panel: 6 consecutive floats (one per row) per step of depth, steps <paramref name="aStride"/> apart (6 when packed; lda when read in place from a transposed A).</param>
    /// <param name="aStride">Floats from one step of A's depth to the next.</param>
    /// <param name="b">Packed B panel: depth × 2·width floats, column index fastest.</param>
    /// <param name="c">Top-left of the C tile.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="rows">Valid rows of the tile (≤ 6); padded rows are computed and dropped.</param>
    /// <param name="columns">Valid columns of the tile (≤ 2·width).</param>
    /// <param name="beta">0 overwrites C, otherwise C is scaled by β and accumulated into.</param>
    /// <param name="bias">The tile's column bias, added to the sums before they are stored, or null; only with β = 0 (the sums are then the whole result).</param>
    /// <param name="relu">Whether ReLU is applied (after the bias) before the tile is stored; only with β = 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6<TOps, TVector>(int depth, float* a, nint aStride, float* b, float* c, nint ldc, int rows, int columns, float beta, float* bias = null, bool relu = false)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        PrefetchTile(c, ldc, 6);
        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;
        TVector c40 = TOps.Zero, c41 = TOps.Zero;
        TVector c50 = TOps.Zero, c51 = TOps.Zero;
        for (var p = depth; p > 0; p--)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + width);
            var a0 = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(a0, b0, c00);
            c01 = TOps.MultiplyAdd(a0, b1, c01);
            var a1 = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(a1, b0, c10);
            c11 = TOps.MultiplyAdd(a1, b1, c11);
            var a2 = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(a2, b0, c20);
            c21 = TOps.MultiplyAdd(a2, b1, c21);
            var a3 = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(a3, b0, c30);
            c31 = TOps.MultiplyAdd(a3, b1, c31);
            var a4 = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(a4, b0, c40);
            c41 = TOps.MultiplyAdd(a4, b1, c41);
            var a5 = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(a5, b0, c50);
            c51 = TOps.MultiplyAdd(a5, b1, c51);
            a += aStride;
            b += 2 * width;
        }

        if (bias != null)
        {
            var bias0 = columns >= width ? TOps.Load(bias) : TOps.LoadMasked(bias, TOps.FirstLanes(columns));
            var bias1 = columns == 2 * width ? TOps.Load(bias + width) : columns > width ? TOps.LoadMasked(bias + width, TOps.FirstLanes(columns - width)) : TOps.Zero;
            c00 = TOps.Add(c00, bias0);
            c01 = TOps.Add(c01, bias1);
            c10 = TOps.Add(c10, bias0);
            c11 = TOps.Add(c11, bias1);
            c20 = TOps.Add(c20, bias0);
            c21 = TOps.Add(c21, bias1);
            c30 = TOps.Add(c30, bias0);
            c31 = TOps.Add(c31, bias1);
            c40 = TOps.Add(c40, bias0);
            c41 = TOps.Add(c41, bias1);
            c50 = TOps.Add(c50, bias0);
            c51 = TOps.Add(c51, bias1);
        }

        if (relu)
        {
            c00 = TOps.Max(c00, TOps.Zero);
            c01 = TOps.Max(c01, TOps.Zero);
            c10 = TOps.Max(c10, TOps.Zero);
            c11 = TOps.Max(c11, TOps.Zero);
            c20 = TOps.Max(c20, TOps.Zero);
            c21 = TOps.Max(c21, TOps.Zero);
            c30 = TOps.Max(c30, TOps.Zero);
            c31 = TOps.Max(c31, TOps.Zero);
            c40 = TOps.Max(c40, TOps.Zero);
            c41 = TOps.Max(c41, TOps.Zero);
            c50 = TOps.Max(c50, TOps.Zero);
            c51 = TOps.Max(c51, TOps.Zero);
        }

        if (rows == 6 && columns == 2 * width)
        {
            StoreRow<TOps, TVector>(c + (0 * ldc), c00, c01, beta);
            StoreRow<TOps, TVector>(c + (1 * ldc), c10, c11, beta);
            StoreRow<TOps, TVector>(c + (2 * ldc), c20, c21, beta);
            StoreRow<TOps, TVector>(c + (3 * ldc), c30, c31, beta);
            StoreRow<TOps, TVector>(c + (4 * ldc), c40, c41, beta);
            StoreRow<TOps, TVector>(c + (5 * ldc), c50, c51, beta);
            return;
        }

        if (TOps.HasMaskedMemory)
        {
            // A ragged tile (the last panel of columns, or of rows) stores through lane masks instead of a scratch tile.
            var lowMask = TOps.FirstLanes(Math.Min(columns, width));
            var highMask = TOps.FirstLanes(Math.Max(columns - width, 0));
            StoreRowMasked<TOps, TVector>(c + (0 * ldc), c00, c01, lowMask, highMask, columns > width, beta);
            if (rows == 1)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (1 * ldc), c10, c11, lowMask, highMask, columns > width, beta);
            if (rows == 2)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (2 * ldc), c20, c21, lowMask, highMask, columns > width, beta);
            if (rows == 3)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (3 * ldc), c30, c31, lowMask, highMask, columns > width, beta);
            if (rows == 4)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (4 * ldc), c40, c41, lowMask, highMask, columns > width, beta);
            if (rows == 5)
            {
                return;
            }

            StoreRowMasked<TOps, TVector>(c + (5 * ldc), c50, c51, lowMask, highMask, columns > width, beta);
            return;
        }

        var tile = stackalloc float[6 * MaxColumns];
        TOps.Store(tile + (0 * MaxColumns), c00);
        TOps.Store(tile + (0 * MaxColumns) + width, c01);
        TOps.Store(tile + (1 * MaxColumns), c10);
        TOps.Store(tile + (1 * MaxColumns) + width, c11);
        TOps.Store(tile + (2 * MaxColumns), c20);
        TOps.Store(tile + (2 * MaxColumns) + width, c21);
        TOps.Store(tile + (3 * MaxColumns), c30);
        TOps.Store(tile + (3 * MaxColumns) + width, c31);
        TOps.Store(tile + (4 * MaxColumns), c40);
        TOps.Store(tile + (4 * MaxColumns) + width, c41);
        TOps.Store(tile + (5 * MaxColumns), c50);
        TOps.Store(tile + (5 * MaxColumns) + width, c51);
        StorePartial(tile, c, ldc, rows, columns, beta);
    }

    /// <summary>Asks for the C tile's cache lines now, so they arrive while the depth loop runs instead of stalling the stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchTile(float* c, nint ldc, int rows)
    {
        if (Sse.IsSupported)
        {
            for (var r = 0; r < rows; r++)
            {
                Sse.Prefetch0(c + (r * ldc));
                Sse.Prefetch0(c + (r * ldc) + 16);
            }
        }
    }

    /// <summary>Writes one full tile row: C = acc (β = 0), C += acc (β = 1) or C = β·C + acc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow<TOps, TVector>(float* c, TVector low, TVector high, float beta)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        if (beta == 0f)
        {
            TOps.Store(c, low);
            TOps.Store(c + width, high);
        }
        else if (beta == 1f)
        {
            TOps.Store(c, TOps.Add(TOps.Load(c), low));
            TOps.Store(c + width, TOps.Add(TOps.Load(c + width), high));
        }
        else
        {
            var scale = TOps.Broadcast(beta);
            TOps.Store(c, TOps.MultiplyAdd(TOps.Load(c), scale, low));
            TOps.Store(c + width, TOps.MultiplyAdd(TOps.Load(c + width), scale, high));
        }
    }

    /// <summary>Writes the valid columns of one tile row through lane masks (masked lanes are neither read nor written).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void StoreRowMasked<TOps, TVector>(float* c, TVector low, TVector high, TVector lowMask, TVector highMask, bool twoVectors, float beta)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        var width = TOps.Width;
        if (beta != 0f)
        {
            var scale = TOps.Broadcast(beta);
            low = beta == 1f ? TOps.Add(TOps.LoadMasked(c, lowMask), low) : TOps.MultiplyAdd(TOps.LoadMasked(c, lowMask), scale, low);
            high = !twoVectors ? high : beta == 1f ? TOps.Add(TOps.LoadMasked(c + width, highMask), high) : TOps.MultiplyAdd(TOps.LoadMasked(c + width, highMask), scale, high);
        }

        TOps.StoreMasked(c, low, lowMask);
        if (twoVectors)
        {
            TOps.StoreMasked(c + width, high, highMask);
        }
    }

    /// <summary>Copies the valid rows×columns part of a tile (row stride <see cref="MaxColumns"/>) into C with β.</summary>
    public static void StorePartial(float* tile, float* c, nint ldc, int rows, int columns, float beta)
    {
        for (var r = 0; r < rows; r++)
        {
            var source = tile + (r * MaxColumns);
            var destination = c + (r * ldc);
            for (var j = 0; j < columns; j++)
            {
                destination[j] = beta == 0f ? source[j] : (beta * destination[j]) + source[j];
            }
        }
    }
}

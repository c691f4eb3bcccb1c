namespace Tempo.Nn.Kernels;

/// <summary>Lowers one NCHW image to the column matrix of a convolution and back (im2col / col2im, as in Caffe and PyTorch).</summary>
/// <remarks>
/// The column matrix has one row per (channel, kernel row, kernel column) and one column per output position, so the
/// convolution of one image is the GEMM weight (Out × C·kh·kw) · columns (C·kh·kw × outH·outW), written straight into
/// the NCHW output. Row runs are split analytically into the padded part (zeros) and the in-bounds part (a contiguous
/// copy at stride 1, a strided gather otherwise), so there is no per-element bounds test.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Writes the (C·kh·kw) × (outH·outW) column matrix of <paramref name="image"/> (C×H×W) to <paramref name="columns"/>.</summary>
    public static void Pack(in Conv2dGeometry geometry, float* image, float* columns)
    {
        var g = geometry;
        int outHeight = g.OutHeight, outWidth = g.OutWidth, stride = g.Stride, padding = g.Padding;
        var positions = outHeight * outWidth;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = image + ((nint)c * g.Height * g.Width);
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var (x0, x1) = ValidColumns(g.Width, outWidth, stride, padding, j);
                    for (var y = 0; y < outHeight; y++)
                    {
                        var target = row + (y * outWidth);
                        var iy = (y * stride) + i - padding;
                        if ((uint)iy >= (uint)g.Height || x0 >= x1)
                        {
                            new Span<float>(target, outWidth).Clear();
                            continue;
                        }

                        var source = plane + (iy * g.Width) + j - padding;
                        for (var x = 0; x < x0; x++)
                        {
                            target[x] = 0f;
                        }

                        if (stride == 1)
                        {
                            new ReadOnlySpan<float>(source + x0, x1 - x0).CopyTo(new Span<float>(target + x0, x1 - x0));
                        }
                        else
                        {
                            for (var x = x0; x < x1; x++)
                            {
                                target[x] = source[x * stride];
                            }
                        }

                        for (var x = x1; x < outWidth; x++)
                        {
                            target[x] = 0f;
                        }
                    }

                    row += positions;
                }
            }
        }
    }

    /// <summary>Adds every entry of the column matrix back to the image position it was read from (the adjoint of <see cref="Pack"/>).</summary>
    public static void Unpack(in Conv2dGeometry geometry, float* columns, float* image)
    {
        var g = geometry;
        int outHeight = g.OutHeight, outWidth = g.OutWidth, stride = g.Stride, padding = g.Padding;
        var positions = outHeight * outWidth;
        var row = columns;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = image + ((nint)c * g.Height * g.Width);
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var (x0, x1) = ValidColumns(g.Width, outWidth, stride, padding, j);
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

                    row += positions;
                }
            }
        }
    }

    /// <summary>The output columns [x0, x1) whose input column x·stride + j − padding lies inside [0, width).</summary>
    private static (int Start, int End) ValidColumns(int width, int outWidth, int stride, int padding, int j)
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
}

namespace Tempo.Nn.Kernels;

/// <summary>Forward and backward passes of a 2-D convolution on NCHW batches (PyTorch's layouts).</summary>
public static class Conv2dKernels
{
    /// <summary>output[n, o, y, x] = bias[o] + Σ weight[o, c, i, j] · input[n, c, y·s + i − p, x·s + j − p].</summary>
    /// <param name="geometry">The sizes.</param>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="weight">Out×C×kh×kw.</param>
    /// <param name="bias">Out elements, or empty for no bias.</param>
    /// <param name="output">N×Out×outH×outW; overwritten.</param>
    public static void Forward(in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        // Placeholder reference loop; the optimized kernels replace this body.
        var g = geometry;
        int oh = g.OutHeight, ow = g.OutWidth;
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        var sum = bias.IsEmpty ? 0f : bias[o];
                        for (var c = 0; c < g.InChannels; c++)
                        {
                            for (var i = 0; i < g.KernelHeight; i++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                if ((uint)iy >= (uint)g.Height)
                                {
                                    continue;
                                }

                                for (var j = 0; j < g.KernelWidth; j++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if ((uint)ix >= (uint)g.Width)
                                    {
                                        continue;
                                    }

                                    sum += weight[(((((o * g.InChannels) + c) * g.KernelHeight) + i) * g.KernelWidth) + j]
                                        * input[(((((n * g.InChannels) + c) * g.Height) + iy) * g.Width) + ix];
                                }
                            }
                        }

                        output[(((((n * g.OutChannels) + o) * oh) + y) * ow) + x] = sum;
                    }
                }
            }
        }
    }

    /// <summary>Computes the input gradient from the output gradient; overwrites <paramref name="inputGradient"/>.</summary>
    public static void BackwardInput(in Conv2dGeometry geometry, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient)
    {
        var g = geometry;
        int oh = g.OutHeight, ow = g.OutWidth;
        inputGradient[..g.InputLength].Clear();
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        var dy = outputGradient[(((((n * g.OutChannels) + o) * oh) + y) * ow) + x];
                        for (var c = 0; c < g.InChannels; c++)
                        {
                            for (var i = 0; i < g.KernelHeight; i++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                if ((uint)iy >= (uint)g.Height)
                                {
                                    continue;
                                }

                                for (var j = 0; j < g.KernelWidth; j++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if ((uint)ix >= (uint)g.Width)
                                    {
                                        continue;
                                    }

                                    inputGradient[(((((n * g.InChannels) + c) * g.Height) + iy) * g.Width) + ix] +=
                                        dy * weight[(((((o * g.InChannels) + c) * g.KernelHeight) + i) * g.KernelWidth) + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Accumulates the weight gradient (and the bias gradient unless empty) from the output gradient.</summary>
    public static void BackwardWeight(in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient)
    {
        var g = geometry;
        int oh = g.OutHeight, ow = g.OutWidth;
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        var dy = outputGradient[(((((n * g.OutChannels) + o) * oh) + y) * ow) + x];
                        if (!biasGradient.IsEmpty)
                        {
                            biasGradient[o] += dy;
                        }

                        for (var c = 0; c < g.InChannels; c++)
                        {
                            for (var i = 0; i < g.KernelHeight; i++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                if ((uint)iy >= (uint)g.Height)
                                {
                                    continue;
                                }

                                for (var j = 0; j < g.KernelWidth; j++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if ((uint)ix >= (uint)g.Width)
                                    {
                                        continue;
                                    }

                                    weightGradient[(((((o * g.InChannels) + c) * g.KernelHeight) + i) * g.KernelWidth) + j] +=
                                        dy * input[(((((n * g.InChannels) + c) * g.Height) + iy) * g.Width) + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

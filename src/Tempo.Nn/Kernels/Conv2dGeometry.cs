namespace Tempo.Nn.Kernels;

/// <summary>The sizes of one 2-D convolution over an NCHW batch with square stride and symmetric zero padding.</summary>
/// <param name="Batch">Images in the batch (N).</param>
/// <param name="InChannels">Input channels (C).</param>
/// <param name="Height">Input height (H).</param>
/// <param name="Width">Input width (W).</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelHeight">Kernel height.</param>
/// <param name="KernelWidth">Kernel width.</param>
/// <param name="Stride">Stride along both axes.</param>
/// <param name="Padding">Zero padding on every side.</param>
public readonly record struct Conv2dGeometry(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    /// <summary>Output height: (H + 2·padding − kh) / stride + 1.</summary>
    public int OutHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

    /// <summary>Output width: (W + 2·padding − kw) / stride + 1.</summary>
    public int OutWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

    /// <summary>Elements of the input batch.</summary>
    public int InputLength => Batch * InChannels * Height * Width;

    /// <summary>Elements of the output batch.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Elements of the weight tensor [out, in, kh, kw].</summary>
    public int WeightLength => OutChannels * InChannels * KernelHeight * KernelWidth;

    /// <summary>Throws with the offending value unless every size is positive and the kernel fits.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Stride);
        ArgumentOutOfRangeException.ThrowIfNegative(Padding);
        // Checked on the padded size itself: C#'s division truncates towards zero, so a kernel larger than the
        // padded input would otherwise yield an output size of 1.
        if (KernelHeight > Height + (2 * Padding) || KernelWidth > Width + (2 * Padding))
        {
            throw new ArgumentException($"A {KernelHeight}×{KernelWidth} kernel with padding {Padding} does not fit a {Height}×{Width} input.");
        }
    }
}

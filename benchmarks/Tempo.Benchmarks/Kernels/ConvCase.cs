using Tempo.Nn.Kernels;

namespace Tempo.Benchmarks.Kernels;

/// <summary>One Nature-CNN convolution layer at a batch size, forward only or "train" (forward + both backward passes).</summary>
public sealed record ConvCase(string Layer, Conv2dGeometry Geometry, bool Training) : IFlopCount
{
    /// <summary>Multiply-adds of one forward pass.</summary>
    public double ForwardFlops => 2.0 * Geometry.OutputLength * Geometry.InChannels * Geometry.KernelHeight * Geometry.KernelWidth;

    /// <inheritdoc/>
    public double Flops => Training ? 3 * ForwardFlops : ForwardFlops;

    /// <summary>The three Nature-CNN layers on 4×84×84 inputs (Mnih et al. 2015): 32@8×8/4, 64@4×4/2, 64@3×3/1.</summary>
    public static ConvCase NatureCnn(int layer, int batch, bool training) => layer switch
    {
        1 => new ConvCase("conv1", new Conv2dGeometry(batch, 4, 84, 84, 32, 8, 8, 4, 0), training),
        2 => new ConvCase("conv2", new Conv2dGeometry(batch, 32, 20, 20, 64, 4, 4, 2, 0), training),
        _ => new ConvCase("conv3", new Conv2dGeometry(batch, 64, 9, 9, 64, 3, 3, 1, 0), training),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Layer} b{Geometry.Batch} {(Training ? "train" : "fwd")}";
}

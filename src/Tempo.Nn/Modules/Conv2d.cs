using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>A 2-D convolution over NCHW batches with a square kernel, as <c>torch.nn.Conv2d</c> (optionally followed by its activation).</summary>
/// <remarks>
/// The weight is [out, in, kh, kw] as PyTorch stores it. The arithmetic lives in <see cref="Conv2dKernels"/>;
/// this layer owns the buffers, applies the fused activation in place on the kernel's output and turns the
/// output gradient into the pre-activation gradient before calling the backward kernels.
/// </remarks>
public sealed class Conv2d : Module, IAffineLayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _preActivationGradient;
    private Tensor? _input;
    private Conv2dGeometry _geometry;

    /// <summary>Creates the layer with PyTorch's default initialization (weight and bias uniform in ±1/√(in·k·k)).</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="stride">Stride along both axes.</param>
    /// <param name="padding">Zero padding on every side.</param>
    /// <param name="activation">The activation fused after the bias add.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0, Activation activation = Activation.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentNullException.ThrowIfNull(random);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Activation = activation;
        Weight = RegisterParameter(new Parameter("weight", outChannels, inChannels, kernelSize, kernelSize));
        Bias = RegisterParameter(new Parameter("bias", outChannels));
        _output = new Tensor(0, outChannels, 1, 1);
        _inputGradient = new Tensor(0, inChannels, 1, 1);
        _preActivationGradient = new Tensor(0, outChannels, 1, 1);
        LayerInit.TorchDefault(this, random);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride along both axes.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The activation fused after the bias add.</summary>
    public Activation Activation { get; }

    /// <summary>The weight, [out, in, kh, kw] (PyTorch's layout).</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, [out].</summary>
    public Parameter Bias { get; }

    /// <summary>The output size along one axis for an input size along it: ⌊(size + 2·padding − kernel) / stride⌋ + 1.</summary>
    /// <exception cref="ArgumentException">The kernel does not fit the padded input.</exception>
    public int OutputSize(int inputSize)
    {
        var padded = inputSize + (2 * Padding);
        if (inputSize <= 0 || padded < KernelSize)
        {
            throw new ArgumentException(
                $"A {KernelSize}×{KernelSize} kernel with padding {Padding} needs inputs of at least {Math.Max(1, KernelSize - (2 * Padding))} pixels; got {inputSize}.",
                nameof(inputSize));
        }

        return ((padded - KernelSize) / Stride) + 1;
    }

    /// <inheritdoc/>
    internal override int TorchModuleCount => Activation == Activation.None ? 1 : 2;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        var minimum = Math.Max(1, KernelSize - (2 * Padding));
        if (input.Rank != 4 || input.Dim(1) != InChannels || input.Dim(0) == 0 || input.Dim(2) < minimum || input.Dim(3) < minimum)
        {
            ModuleErrors.WrongInputShape(this, $"[batch ≥ 1, {InChannels}, height ≥ {minimum}, width ≥ {minimum}]", input);
        }

        _geometry = new Conv2dGeometry(
            input.Dim(0), InChannels, input.Dim(2), input.Dim(3), OutChannels, KernelSize, KernelSize, Stride, Padding);
        _output.Reshape(_geometry.Batch, OutChannels, _geometry.OutHeight, _geometry.OutWidth);
        Conv2dKernels.Forward(_geometry, input.Span, Weight.Value.Span, Bias.Value.Span, _output.Span, Activation, Parallelism);
        _input = input;
        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var input = _input!;
        if (input.Length != _geometry.InputLength || input.Rank != 4)
        {
            ModuleErrors.InputChangedSinceForward(this, $"{_geometry.InputLength} elements", input);
        }

        ReadOnlySpan<float> preActivationGradient = outputGradient.Span;
        if (Activation != Activation.None)
        {
            _preActivationGradient.Reshape(_geometry.Batch, OutChannels, _geometry.OutHeight, _geometry.OutWidth);
            ActivationKernels.Backward(Activation, _output.Span, outputGradient.Span, _preActivationGradient.Span);
            preActivationGradient = _preActivationGradient.Span;
        }

        Conv2dKernels.BackwardWeight(_geometry, input.Span, preActivationGradient, Weight.Gradient.Span, Bias.Gradient.Span, Parallelism);
        if (!computeInputGradient)
        {
            return null;
        }

        _inputGradient.Reshape(_geometry.Batch, InChannels, _geometry.Height, _geometry.Width);
        Conv2dKernels.BackwardInput(_geometry, preActivationGradient, Weight.Value.Span, _inputGradient.Span, Parallelism);
        return _inputGradient;
    }
}

using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>A fully connected layer y = activation(x·Wᵀ + b), as <c>torch.nn.Linear</c> (optionally followed by its activation).</summary>
/// <remarks>
/// <para>The weight is stored as PyTorch stores it, [out, in], so parameters, optimizers and checkpoints map
/// one to one. The forward pass is then the GEMM X·Wᵀ (B transposed), the weight gradient dZᵀ·X and the
/// input gradient dZ·W; every layout has one transposed product per step, and this one keeps the
/// parameters free of any hidden copy that an optimizer step could leave stale.</para>
/// <para>A fused activation is applied in the same pass as the bias add, and its derivative is taken
/// from the cached output, so <c>Linear(…, Activation.Tanh)</c> computes exactly <c>Tanh(Linear(…))</c>.
/// Inside a <see cref="Sequential"/> such a layer is named as the two PyTorch modules it stands for.</para>
/// </remarks>
public sealed class Linear : Module, IAffineLayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _preActivationGradient;
    private Tensor? _input;
    private int _inputLength;

    /// <summary>Creates the layer with PyTorch's default initialization (weight and bias uniform in ±1/√in).</summary>
    /// <param name="inputSize">Input features.</param>
    /// <param name="outputSize">Output features.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="activation">The activation fused after the bias add.</param>
    public Linear(int inputSize, int outputSize, Random random, Activation activation = Activation.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        ArgumentNullException.ThrowIfNull(random);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
        Weight = RegisterParameter(new Parameter("weight", outputSize, inputSize));
        Bias = RegisterParameter(new Parameter("bias", outputSize));
        _output = new Tensor(0, outputSize);
        _inputGradient = new Tensor(0, inputSize);
        _preActivationGradient = new Tensor(0, outputSize);
        LayerInit.TorchDefault(this, random);
    }

    /// <summary>Input features.</summary>
    public int InputSize { get; }

    /// <summary>Output features.</summary>
    public int OutputSize { get; }

    /// <summary>The activation fused after the bias add.</summary>
    public Activation Activation { get; }

    /// <summary>The weight, [out, in] (PyTorch's layout).</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, [out].</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    internal override int TorchModuleCount => Activation == Activation.None ? 1 : 2;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != InputSize || input.Dim(0) == 0)
        {
            ModuleErrors.WrongInputShape(this, $"[batch ≥ 1, {InputSize}]", input);
        }

        var batch = input.Dim(0);
        _output.Reshape(batch, OutputSize);
        Gemm.MultiplyBiasActivation(
            Transpose.No, Transpose.Yes, batch, OutputSize, InputSize,
            input.Span, InputSize, Weight.Value.Span, InputSize, Bias.Value.Span, Activation, _output.Span, OutputSize, Parallelism);
        _input = input;
        _inputLength = input.Length;
        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var input = _input!;
        if (input.Length != _inputLength || input.Rank != 2)
        {
            ModuleErrors.InputChangedSinceForward(this, $"{_inputLength} elements", input);
        }

        var batch = input.Dim(0);
        ReadOnlySpan<float> preActivationGradient = outputGradient.Span;
        if (Activation != Activation.None)
        {
            _preActivationGradient.Reshape(batch, OutputSize);
            ActivationKernels.Backward(Activation, _output.Span, outputGradient.Span, _preActivationGradient.Span);
            preActivationGradient = _preActivationGradient.Span;
        }

        // db += Σ_batch dZ;  dW[out, in] += dZᵀ·X.
        BiasKernels.AccumulateColumnSums(preActivationGradient, batch, OutputSize, Bias.Gradient.Span);
        Gemm.Multiply(
            Transpose.Yes, Transpose.No, OutputSize, InputSize, batch,
            preActivationGradient, OutputSize, input.Span, InputSize, Weight.Gradient.Span, InputSize, beta: 1f, Parallelism);
        if (!computeInputGradient)
        {
            return null;
        }

        // dX = dZ·W.
        _inputGradient.Reshape(batch, InputSize);
        Gemm.Multiply(
            Transpose.No, Transpose.No, batch, InputSize, OutputSize,
            preActivationGradient, OutputSize, Weight.Value.Span, InputSize, _inputGradient.Span, InputSize, parallelism: Parallelism);
        return _inputGradient;
    }
}

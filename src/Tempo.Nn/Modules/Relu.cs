using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>The elementwise max(0, x), as <c>torch.nn.ReLU</c> (gradient 0 at x = 0); any input shape.</summary>
/// <remarks>After a <see cref="Linear"/> or <see cref="Conv2d"/>, prefer the layer's fused <see cref="Activation.Relu"/>.</remarks>
public sealed class Relu : Module
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        ReshapeLike(_output, input);
        ActivationKernels.Forward(Activation.Relu, input.Span, _output.Span);
        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        // The gradient passes where the output is positive, i.e. where the input was.
        ReshapeLike(_inputGradient, _output);
        ActivationKernels.Backward(Activation.Relu, _output.Span, outputGradient.Span, _inputGradient.Span);
        return _inputGradient;
    }
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>The elementwise hyperbolic tangent, as <c>torch.nn.Tanh</c>; any input shape.</summary>
/// <remarks>After a <see cref="Linear"/> or <see cref="Conv2d"/>, prefer the layer's fused <see cref="Activation.Tanh"/>.</remarks>
public sealed class Tanh : Module
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        ReshapeLike(_output, input);
        ActivationKernels.Forward(Activation.Tanh, input.Span, _output.Span);
        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        // d tanh(x)/dx = 1 − tanh(x)², from the cached output.
        ReshapeLike(_inputGradient, _output);
        ActivationKernels.Backward(Activation.Tanh, _output.Span, outputGradient.Span, _inputGradient.Span);
        return _inputGradient;
    }
}

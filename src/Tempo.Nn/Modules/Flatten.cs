using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>Flattens every dimension after the batch dimension, as <c>torch.nn.Flatten()</c>: [N, d1, d2, …] → [N, d1·d2·…].</summary>
/// <remarks>Tensors own their storage, so the output is a copy (a few kilobytes per sample for a CNN's feature maps).</remarks>
public sealed class Flatten : Module
{
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _inputGradient = new(0);
    private int[] _inputDims = [];

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank < 2 || input.Dim(0) == 0)
        {
            ModuleErrors.WrongInputShape(this, "[batch ≥ 1, …] (rank ≥ 2)", input);
        }

        var batch = input.Dim(0);
        _output.Reshape(batch, input.Length / batch);
        input.Span.CopyTo(_output.Span);

        // Remember the input's shape to restore it in the backward pass.
        if (_inputDims.Length != input.Rank)
        {
            _inputDims = new int[input.Rank];
        }

        for (var axis = 0; axis < _inputDims.Length; axis++)
        {
            _inputDims[axis] = input.Dim(axis);
        }
        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        _inputGradient.Reshape(_inputDims);
        outputGradient.Span.CopyTo(_inputGradient.Span);
        return _inputGradient;
    }
}

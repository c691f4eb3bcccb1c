using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Models;

/// <summary>A forward-only copy of an MLP laid out for acting: weights transposed to [in, out], so that a small batch is x·W, not x·Wᵀ.</summary>
/// <remarks>
/// Parameters keep PyTorch's [out, in] layout (what optimizers, checkpoints and fixtures see); at batch 1 that makes
/// every layer a dot-product GEMM, 1.3–3× slower than the plain form at these sizes. The plan is rebuilt from the
/// parameters when they may have changed (a snapshot was loaded, a gradient step was taken), which for an actor is
/// once per snapshot, not per step.
/// </remarks>
internal sealed class InferencePlan
{
    private readonly Linear[] _layers;
    private readonly float[][] _weights;
    private readonly float[][] _outputs;
    private bool _stale = true;

    public InferencePlan(Sequential network)
    {
        _layers = [.. network.Layers.Cast<Linear>()];
        _weights = [.. _layers.Select(l => new float[l.InputSize * l.OutputSize])];
        _outputs = [.. _layers.Select(l => new float[l.OutputSize * MaxBatch])];
    }

    /// <summary>The largest batch the plan serves; larger batches use the modules.</summary>
    public const int MaxBatch = 16;

    /// <summary>Marks the transposed weights out of date (the parameters changed).</summary>
    public void Invalidate() => _stale = true;

    /// <summary>Runs the network on <paramref name="batch"/> ≤ <see cref="MaxBatch"/> observations; the result is valid until the next call.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch)
    {
        if (_stale)
        {
            Rebuild();
        }

        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            var output = _outputs[i].AsSpan(0, batch * layer.OutputSize);
            Gemm.MultiplyBiasActivation(
                Transpose.No, Transpose.No, batch, layer.OutputSize, layer.InputSize,
                input, layer.InputSize, _weights[i], layer.OutputSize, layer.Bias.Value.Span, layer.Activation, output, layer.OutputSize);
            input = output;
        }

        return input;
    }

    private void Rebuild()
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            var weight = layer.Weight.Value.Span;
            var transposed = _weights[i];
            for (var o = 0; o < layer.OutputSize; o++)
            {
                for (var k = 0; k < layer.InputSize; k++)
                {
                    transposed[(k * layer.OutputSize) + o] = weight[(o * layer.InputSize) + k];
                }
            }
        }

        _stale = false;
    }
}

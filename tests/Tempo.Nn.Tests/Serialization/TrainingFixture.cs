using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Nn.Tests.Serialization;

/// <summary>A tiny parameter set with a deterministic, non-trivial loss, for save/load/continue tests.</summary>
internal sealed class TrainingFixture
{
    public TrainingFixture(float seedValue)
    {
        Parameters =
        [
            new Parameter("layer.weight", 3, 4),
            new Parameter("layer.bias", 3),
            new Parameter("scale"),
        ];
        var k = 0;
        foreach (var parameter in Parameters)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                parameter.Value.Span[i] = seedValue * MathF.Sin(++k);
            }
        }
    }

    public Parameter[] Parameters { get; }

    /// <summary>Fills gradients of Σ (p − t)² + 0.1·sin(p)·p, a function of the current values only.</summary>
    public void ComputeGradients()
    {
        var k = 0;
        foreach (var parameter in Parameters)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var value = parameter.Value.Span[i];
                var target = MathF.Cos(++k);
                parameter.Gradient.Span[i] = (2 * (value - target)) + (0.1f * ((MathF.Cos(value) * value) + MathF.Sin(value)));
            }
        }
    }

    public void Train(IOptimizer optimizer, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            ComputeGradients();
            optimizer.Step();
        }
    }

    /// <summary>Copies every value that a load could change: parameters, buffers and the step count.</summary>
    public static (float[][] Values, long StepCount) Snapshot(IReadOnlyList<Parameter> parameters, OptimizerState? state) =>
        ([.. parameters.Select(p => p.Value.Span.ToArray()), .. state?.Buffers.Select(b => b.Tensor.Span.ToArray()) ?? []],
         state?.StepCount ?? 0);

    public static void AssertSame((float[][] Values, long StepCount) expected, (float[][] Values, long StepCount) actual)
    {
        Assert.Equal(expected.StepCount, actual.StepCount);
        Assert.Equal(expected.Values.Length, actual.Values.Length);
        for (var i = 0; i < expected.Values.Length; i++)
        {
            Assert.Equal(
                expected.Values[i].Select(BitConverter.SingleToInt32Bits),
                actual.Values[i].Select(BitConverter.SingleToInt32Bits));
        }
    }
}

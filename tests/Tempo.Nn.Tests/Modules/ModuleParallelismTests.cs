using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Modules;

/// <summary>A network run on two kernel threads computes what it computes on one.</summary>
public sealed class ModuleParallelismTests
{
    private const int Batch = 8;
    private const int Channels = 4;
    private const int Size = 36;
    private const int Hidden = 64;

    [Fact]
    public void NatureCnn_TwoThreads_MatchesOneThread()
    {
        var frames = new byte[Batch * Channels * Size * Size];
        new Random(5).NextBytes(frames);
        var single = new NatureCnn(Channels, Size, Size, new Random(1), hiddenSize: Hidden);
        var parallel = new NatureCnn(Channels, Size, Size, new Random(1), hiddenSize: Hidden);
        using var threads = new KernelParallelism(2);
        parallel.Parallelism = threads;

        var expected = single.Forward(frames, Batch).Span.ToArray();
        var actual = parallel.Forward(frames, Batch).Span.ToArray();
        var gradient = new Tensor([.. Enumerable.Range(0, Batch * Hidden).Select(i => (float)Math.Sin(i))], Batch, Hidden);
        single.AccumulateParameterGradients(gradient);
        parallel.AccumulateParameterGradients(gradient);

        Assert.Same(threads, parallel.Conv1.Parallelism);
        Assert.Same(threads, parallel.Hidden.Parallelism);

        // Two threads split the batch by image and the weight gradient into partial sums added at the end, so some sums
        // run in another order. Both runs are float32 implementations of the one exact pass, each within E of it
        // (BoundedStack over the network's layers), so they are within 2E of each other.
        static Parameter[] Layers(NatureCnn cnn) =>
            [cnn.Conv1.Weight, cnn.Conv1.Bias, cnn.Conv2.Weight, cnn.Conv2.Bias, cnn.Conv3.Weight, cnn.Conv3.Bias, cnn.Hidden.Weight, cnn.Hidden.Bias];
        var weights = Layers(single).Select(p => p.Value.Span.ToArray()).ToArray();
        var rows = Layers(single).Select(p => p.Value.Shape[0]).ToArray();
        var conv3Size = (int)Math.Sqrt(single.Hidden.Weight.Value.Shape[1] / rows[4]);
        var stack = new BoundedStack(Batch, Channels, Size, Size, [
            new BoundedStack.Scale(1.0 / 255, Roundings: 2),
            new BoundedStack.Affine(weights[0], weights[1], rows[0], 8, 8, Stride: 4),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(weights[2], weights[3], rows[2], 4, 4, Stride: 2),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(weights[4], weights[5], rows[4], 3, 3),
            new BoundedStack.Relu(),
            new BoundedStack.Affine(weights[6], weights[7], Hidden, conv3Size, conv3Size),
            new BoundedStack.Relu(),
        ]);
        stack.Forward(frames.Select(b => (float)b).ToArray());
        stack.Backward(gradient.Span.ToArray().Select(g => (double)g).ToArray());
        Float32Bounds.AssertWithin(expected.Select(v => (double)v).ToArray(), actual, stack.OutputError.Select(e => 2 * e).ToArray(), "output on two threads against one");
        var singleParameters = Layers(single);
        var parallelParameters = Layers(parallel);
        for (var i = 0; i < singleParameters.Length; i++)
        {
            var layer = stack.Gradients[i / 2];
            var error = i % 2 == 0 ? layer.WeightError : layer.BiasError;
            Float32Bounds.AssertWithin(
                singleParameters[i].Gradient.Span.ToArray().Select(v => (double)v).ToArray(), parallelParameters[i].Gradient.Span, error.Select(e => 2 * e).ToArray(), $"parameter {i} on two threads against one");
        }
    }
}

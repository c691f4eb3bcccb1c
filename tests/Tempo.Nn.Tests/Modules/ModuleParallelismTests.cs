using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

/// <summary>A network run on two kernel threads computes what it computes on one.</summary>
public sealed class ModuleParallelismTests
{
    [Fact]
    public void NatureCnn_TwoThreads_MatchesOneThread()
    {
        var frames = new byte[8 * 4 * 36 * 36];
        new Random(5).NextBytes(frames);
        var single = new NatureCnn(4, 36, 36, new Random(1), hiddenSize: 64);
        var parallel = new NatureCnn(4, 36, 36, new Random(1), hiddenSize: 64);
        using var threads = new KernelParallelism(2);
        parallel.Parallelism = threads;

        var expected = single.Forward(frames, 8).Span.ToArray();
        var actual = parallel.Forward(frames, 8).Span.ToArray();
        var gradient = new Tensor([.. Enumerable.Range(0, 8 * 64).Select(i => (float)Math.Sin(i))], 8, 64);
        single.AccumulateParameterGradients(gradient);
        parallel.AccumulateParameterGradients(gradient);

        Assert.Same(threads, parallel.Conv1.Parallelism);
        Assert.Same(threads, parallel.Hidden.Parallelism);
        AssertClose(expected, actual);
        var singleParameters = single.Parameters();
        var parallelParameters = parallel.Parameters();
        for (var i = 0; i < singleParameters.Count; i++)
        {
            AssertClose(singleParameters[i].Gradient.Span.ToArray(), parallelParameters[i].Gradient.Span.ToArray());
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + (1e-4 * Math.Abs(expected[i])), $"[{i}] {expected[i]} vs {actual[i]}");
        }
    }
}

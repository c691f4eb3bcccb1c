using Tempo.Nn.Kernels;

namespace Tempo.Nn.Tests.Kernels;

public sealed class KernelParallelismTests
{
    [Fact]
    public void Invoke_TwoThreads_RunsBothPiecesOnDifferentThreads()
    {
        using var parallelism = new KernelParallelism(2);
        int? first = null, second = null;

        for (var i = 0; i < 100; i++)
        {
            parallelism.Invoke(() => first = Environment.CurrentManagedThreadId, () => second = Environment.CurrentManagedThreadId);
        }

        Assert.Equal(Environment.CurrentManagedThreadId, first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Invoke_OneThread_RunsThePiecesInTurnOnTheCaller()
    {
        using var parallelism = new KernelParallelism(1);
        var order = new List<string>();

        parallelism.Invoke(() => order.Add("first"), () => order.Add("second"));

        Assert.Equal(["first", "second"], order);
    }

    [Fact]
    public void Invoke_WorkerPieceThrows_RethrowsOnTheCallerAndStaysUsable()
    {
        using var parallelism = new KernelParallelism(2);

        var error = Assert.Throws<InvalidOperationException>(() => parallelism.Invoke(() => { }, () => throw new InvalidOperationException("critic failed")));
        var ran = 0;
        parallelism.Invoke(() => Interlocked.Increment(ref ran), () => Interlocked.Increment(ref ran));

        Assert.Equal("critic failed", error.Message);
        Assert.Equal(2, ran);
    }

    [Fact]
    public void Invoke_AfterAKernelRun_StillRunsKernelsCorrectly()
    {
        using var parallelism = new KernelParallelism(2);
        var random = new Random(3);
        var a = Enumerable.Range(0, 256 * 256).Select(_ => random.NextSingle()).ToArray();
        var b = Enumerable.Range(0, 256 * 256).Select(_ => random.NextSingle()).ToArray();
        var expected = new float[256 * 256];
        var actual = new float[256 * 256];
        Gemm.Multiply(Transpose.No, Transpose.No, 256, 256, 256, a, 256, b, 256, expected, 256);

        parallelism.Invoke(() => { }, () => { });
        Gemm.Multiply(Transpose.No, Transpose.No, 256, 256, 256, a, 256, b, 256, actual, 256, parallelism: parallelism);

        Assert.Equal(expected, actual);
    }
}

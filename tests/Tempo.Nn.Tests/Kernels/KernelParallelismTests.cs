using Tempo.Nn.Kernels;

namespace Tempo.Nn.Tests.Kernels;

public sealed class KernelParallelismTests
{
    [Fact]
    public void Invoke_TwoThreads_RunsThePiecesAtTheSameTime()
    {
        using var parallelism = new KernelParallelism(2);
        using var secondStarted = new ManualResetEventSlim();
        int? secondThread = null;
        var firstSawSecond = false;

        // The first piece waits for the second: only a worker running it at the same time can release it.
        parallelism.Invoke(
            () => firstSawSecond = secondStarted.Wait(TimeSpan.FromSeconds(10)),
            () =>
            {
                secondThread = Environment.CurrentManagedThreadId;
                secondStarted.Set();
            });

        Assert.True(firstSawSecond);
        Assert.NotEqual(Environment.CurrentManagedThreadId, secondThread);
    }

    [Fact]
    public void Invoke_ManyRoundsMixedWithKernels_RunsEveryPieceExactlyOnce()
    {
        // Rounds where the caller takes the second piece itself leave stale wake-ups behind; none may rerun a piece.
        using var parallelism = new KernelParallelism(2);
        var random = new Random(4);
        var a = Enumerable.Range(0, 192 * 192).Select(_ => random.NextSingle()).ToArray();
        var expected = new float[192 * 192];
        Gemm.Multiply(Transpose.No, Transpose.No, 192, 192, 192, a, 192, a, 192, expected, 192);
        int first = 0, second = 0;

        for (var round = 1; round <= 2000; round++)
        {
            parallelism.Invoke(() => first++, () => Interlocked.Increment(ref second));
            if (round % 100 == 0)
            {
                var actual = new float[192 * 192];
                Gemm.Multiply(Transpose.No, Transpose.No, 192, 192, 192, a, 192, a, 192, actual, 192, parallelism: parallelism);
                Assert.Equal(expected, actual);
            }
        }

        Assert.Equal(2000, first);
        Assert.Equal(2000, second);
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

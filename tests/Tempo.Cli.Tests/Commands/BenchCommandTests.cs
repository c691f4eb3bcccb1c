using System.Text.Json;

namespace Tempo.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    [Fact]
    public void BenchQuickJson_PrintsOneObjectWithEveryFigure()
    {
        var run = CliRun.Of("bench", "--quick", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("cpu-model").GetString()));
        Assert.Contains("micro-kernel", root.GetProperty("kernels").GetString() ?? string.Empty, StringComparison.Ordinal);
        Assert.True(root.GetProperty("fma-peak-gflops-per-core").GetDouble() > 0);

        // Every GEMM shape on one thread and on every other thread count, with a positive rate and its share of the peak.
        var gemm = root.GetProperty("gemm").EnumerateArray().ToArray();
        Assert.Contains(gemm, g => g.GetProperty("shape").GetString() == "NN 1024x1024x1024" && g.GetProperty("threads").GetInt32() == 1);
        Assert.All(gemm, g => Assert.True(g.GetProperty("gflops").GetDouble() > 0 && g.GetProperty("percent-of-peak").GetDouble() > 0));
        Assert.True(root.GetProperty("mlp-act-batch1-microseconds").GetDouble() > 0);
        Assert.Equal(1, root.GetProperty("ppo-update-batch128")[0].GetProperty("threads").GetInt32());
        Assert.True(root.GetProperty("nature-cnn-update-batch256")[0].GetProperty("microseconds").GetDouble() > 0);

        // The quick CartPole run is cut at 2,048 steps: too short to reach 475, and it says so.
        var cartPole = root.GetProperty("cart-pole");
        Assert.Equal(2048, cartPole.GetProperty("step-budget").GetInt64());
        Assert.False(cartPole.GetProperty("solved").GetBoolean());
        Assert.Contains("measuring FMA peak", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchQuick_PrintsTheCpuTheKernelsAndOneLinePerFigure()
    {
        var run = CliRun.Of("bench", "--quick");

        Assert.Equal(0, run.ExitCode);
        var lines = run.OutputLines;
        Assert.StartsWith("CPU      ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("kernels  ", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("SGEMM NN 1024x1024x1024", StringComparison.Ordinal) && l.EndsWith("% of peak", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Nature-CNN update b256, 1 thread(s)", StringComparison.Ordinal));
        Assert.Contains("475 not reached within 2048 steps", lines[^1], StringComparison.Ordinal);
    }
}

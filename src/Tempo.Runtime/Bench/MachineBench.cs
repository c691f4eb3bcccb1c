using System.Diagnostics;
using System.Globalization;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs.Registry;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Tensors;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Bench;

/// <summary>
/// How Tempo does on this machine, in about a minute: the FMA peak per core, SGEMM rates against it per thread count,
/// the batch-1 acting step, a PPO minibatch update, a Nature-CNN update and a CartPole PPO run to 475 (<c>tempo bench</c>).
/// </summary>
/// <remarks>
/// Each figure is the median of short samples taken after a warm-up, so a brief preemption by another process shows up
/// only as an outlier; on a machine busy with other work every figure is a lower bound, and two-thread figures mean
/// something only while a second core is free. <see cref="MachineBenchReport.LoadAverage"/> says how busy it was.
/// </remarks>
public static class MachineBench
{
    private static readonly string[] _gemmShapes = ["NN 1024x1024x1024", "NT 1024x1024x1024", "TN 1024x1024x1024", "NN 4096x64x64", "TN 4096x64x64"];

    /// <summary>Measures everything and returns the report.</summary>
    /// <param name="options">Full or quick.</param>
    /// <param name="progress">Told the name of each figure before it is measured; null for silence.</param>
    /// <returns>The figures.</returns>
    public static MachineBenchReport Run(MachineBenchOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var selection = KernelSelection.Current;
        var budget = options.Quick ? Budget.Quick : Budget.Full;
        var threadCounts = new[] { 1, Math.Min(2, Environment.ProcessorCount), Environment.ProcessorCount }.Distinct().ToArray();
        var load = ReadLoadAverage();

        progress?.Invoke("FMA peak");
        var peak = FmaPeak.Measure(1, options.Quick ? 20 : 300);

        var gemm = new List<GemmFigure>();
        foreach (var shape in _gemmShapes)
        {
            foreach (var threads in threadCounts)
            {
                progress?.Invoke($"SGEMM {shape}, {threads} thread(s)");
                var gflops = MeasureGemm(shape, threads, budget);
                gemm.Add(new GemmFigure(shape, threads, gflops, 100 * gflops / (peak * threads)));
            }
        }

        progress?.Invoke("actor-critic MLP act, batch 1");
        var act = MeasureAct(budget);
        var ppo = threadCounts.Select(t =>
        {
            progress?.Invoke($"PPO minibatch update b128, {t} thread(s)");
            return new ThreadedTime(t, MeasurePpoUpdate(t, budget));
        }).ToArray();
        var cnn = threadCounts.Select(t =>
        {
            progress?.Invoke($"Nature-CNN update b256, {t} thread(s)");
            return new ThreadedTime(t, MeasureCnnUpdate(t, budget));
        }).ToArray();

        progress?.Invoke("CartPole-v1 PPO (CleanRL settings) to 475");
        var cartPole = TrainCartPole(options.Quick ? 2_048 : 500_000);
        return new MachineBenchReport(
            selection.Cpu.ModelName, selection.Cpu.Describe(), selection.Describe(), Environment.ProcessorCount, load, options.Quick,
            peak, gemm, act, ppo, cnn, cartPole);
    }

    /// <summary>The report as text, one figure per line, as <c>tempo bench</c> prints it.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The lines.</returns>
    public static IEnumerable<string> Format(MachineBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        yield return $"CPU      {report.Cpu}";
        yield return $"kernels  {report.Kernels}";
        yield return string.Create(c, $"load     {(report.LoadAverage is { } l ? l.ToString("F2", c) : "unknown")} (1-min average at start, {report.LogicalProcessors} logical processors){(report.Quick ? "; quick mode: rough figures" : string.Empty)}");
        yield return string.Create(c, $"FMA peak {report.FmaPeakGflopsPerCore:F1} GFLOP/s per core");
        foreach (var g in report.Gemm)
        {
            yield return string.Create(c, $"SGEMM {g.Shape,-18} {g.Threads} thread(s) {g.Gflops,7:F1} GFLOP/s  {g.PercentOfPeak,5:F1} % of peak");
        }

        yield return string.Create(c, $"actor-critic MLP act, batch 1          {report.MlpActBatch1Microseconds,9:F2} µs");
        foreach (var t in report.PpoUpdateBatch128)
        {
            yield return string.Create(c, $"PPO minibatch update b128, {t.Threads} thread(s)  {t.Microseconds,9:F1} µs");
        }

        foreach (var t in report.NatureCnnUpdateBatch256)
        {
            yield return string.Create(c, $"Nature-CNN update b256, {t.Threads} thread(s)     {t.Microseconds / 1000,9:F1} ms");
        }

        var cp = report.CartPole;
        yield return cp.Solved
            ? string.Create(c, $"CartPole-v1 PPO (CleanRL settings, seed 1): 475 reached at step {cp.Steps} after {cp.WallSeconds:F2} s")
            : string.Create(c, $"CartPole-v1 PPO (CleanRL settings, seed 1): 475 not reached within {cp.StepBudget} steps ({cp.WallSeconds:F2} s)");
    }

    private static double MeasureGemm(string text, int threads, Budget budget)
    {
        var parts = text.Split(' ');
        var sizes = parts[1].Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (m, k, n) = (sizes[0], sizes[1], sizes[2]);
        var transA = parts[0][0] == 'T' ? Transpose.Yes : Transpose.No;
        var transB = parts[0][1] == 'T' ? Transpose.Yes : Transpose.No;
        var random = new Random(1);
        var a = Filled(random, m * k);
        var b = Filled(random, k * n);
        var c = new float[m * n];
        using var parallelism = new KernelParallelism(threads);
        var seconds = budget.MedianSeconds(() => Gemm.Multiply(
            transA, transB, m, n, k, a, transA == Transpose.No ? k : m, b, transB == Transpose.No ? n : k, c, n, 0f, parallelism));
        return 2.0 * m * n * k / seconds / 1e9;
    }

    private static double MeasureAct(Budget budget)
    {
        var random = new Random(1);
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], random);
        var observation = Filled(random, 4);
        var action = new int[1];
        var logProb = new float[1];
        var value = new float[1];
        return 1e6 * budget.MedianSeconds(() => model.Act(observation, 1, ActionSelection.Deterministic, action, logProb, value));
    }

    private static double MeasurePpoUpdate(int threads, Budget budget)
    {
        const int batch = 128;
        var random = new Random(1);
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], random);
        using var parallelism = threads > 1 ? new KernelParallelism(threads) : null;
        model.Parallelism = parallelism;
        var adam = new Adam(model.NamedParameters, new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
        Parameter[] parameters = [.. model.NamedParameters.Select(p => p.Parameter)];
        var observations = Filled(random, batch * 4);
        int[] actions = [.. Enumerable.Range(0, batch).Select(_ => random.Next(2))];
        var oldLogProbs = Enumerable.Repeat(-0.69f, batch).ToArray();
        var advantages = Filled(random, batch);
        var oldValues = Filled(random, batch);
        var returns = Filled(random, batch);
        float[] newLogProbs = new float[batch], entropy = new float[batch], newValues = new float[batch];
        float[] logProbGradients = new float[batch], entropyGradients = new float[batch], valueGradients = new float[batch];
        var coefficients = new PpoLossCoefficients(0.2f, 0.01f, 0.5f, ClipVloss: true);
        return 1e6 * budget.MedianSeconds(() =>
        {
            model.Evaluate(observations, actions, batch, newLogProbs, entropy, newValues);
            PpoLoss.Compute(newLogProbs, oldLogProbs, advantages, entropy, newValues, oldValues, returns, coefficients, logProbGradients, entropyGradients, valueGradients);
            Gradients.ZeroGrad(parameters);
            model.Backward(logProbGradients, entropyGradients, valueGradients);
            Gradients.ClipGradNorm(parameters, 0.5f);
            adam.Step();
        });
    }

    private static double MeasureCnnUpdate(int threads, Budget budget)
    {
        const int batch = 256;
        var random = new Random(2);
        var network = NatureCnn.CreateOrthogonal(4, 84, 84, LayerInit.HiddenGain, random);
        using var parallelism = threads > 1 ? new KernelParallelism(threads) : null;
        network.Parallelism = parallelism;
        var frames = new byte[batch * 4 * 84 * 84];
        random.NextBytes(frames);
        var gradient = new Tensor(Filled(random, batch * 512), batch, 512);
        var adam = new Adam(network.NamedParameters(), new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
        var parameters = network.Parameters();
        return 1e6 * budget.MedianSeconds(() =>
        {
            Gradients.ZeroGrad(parameters);
            network.Forward(frames, batch);
            network.AccumulateParameterGradients(gradient);
            Gradients.ClipGradNorm(parameters, 0.5f);
            adam.Step();
        });
    }

    private static CartPoleFigure TrainCartPole(long budget)
    {
        var registry = EnvRegistry.CreateDefault();
        var folder = Path.Combine(Path.GetTempPath(), "tempo-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("CartPole-v1"));
            var settings = defaults with
            {
                TargetReturn = 475,
                RunDirectory = folder,
                Collection = defaults.Collection with { TotalTimesteps = budget },
            };
            var outcome = Trainer.Train(registry, settings);
            return outcome.SolvedAt is { } solved
                ? new CartPoleFigure(true, solved.GlobalStep, solved.WallTimeSeconds, budget)
                : new CartPoleFigure(false, outcome.GlobalStep, outcome.WallTimeSeconds, budget);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static float[] Filled(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or null where there is none.</summary>
    private static double? ReadLoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.TryParse(text.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Warm-up and sampling: <see cref="Samples"/> samples of at least <see cref="SampleSeconds"/> each, after <see cref="WarmupSeconds"/>.</summary>
    private sealed record Budget(double WarmupSeconds, double SampleSeconds, int Samples)
    {
        public static Budget Full { get; } = new(0.5, 0.02, 21);

        public static Budget Quick { get; } = new(0, 0, 1);

        /// <summary>The median seconds per call of <paramref name="body"/>.</summary>
        public double MedianSeconds(Action body)
        {
            var clock = Stopwatch.StartNew();
            do
            {
                body();
            }
            while (clock.Elapsed.TotalSeconds < WarmupSeconds);

            // Calls per sample, from one timed call.
            var calls = 1;
            long started;
            if (SampleSeconds > 0)
            {
                started = Stopwatch.GetTimestamp();
                body();
                var once = Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 1e-9);
                calls = (int)Math.Clamp(Math.Ceiling(SampleSeconds / once), 1, 1_000_000);
            }

            var samples = new double[Samples];
            for (var s = 0; s < Samples; s++)
            {
                started = Stopwatch.GetTimestamp();
                for (var i = 0; i < calls; i++)
                {
                    body();
                }

                samples[s] = Stopwatch.GetElapsedTime(started).TotalSeconds / calls;
            }

            Array.Sort(samples);
            return samples[Samples / 2];
        }
    }
}

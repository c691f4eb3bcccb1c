using System.Text.Json;
using Tempo.Nn.Distributions;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Distributions;

public sealed class DiagonalNormalTests
{
    [Fact]
    public void LogProbAndEntropy_TorchFixture_MatchTorch()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "distributions.json")));
        var normal = fixture.RootElement.GetProperty("diag_normal");
        var mean = CategoricalTests.Data(normal.GetProperty("mean"));
        var logStd = CategoricalTests.Data(normal.GetProperty("log_std"));
        var actions = CategoricalTests.Data(normal.GetProperty("actions"));
        var batch = mean.Length / logStd.Length;
        var logProb = new float[batch];
        var entropy = new float[batch];

        DiagonalNormal.LogProb(mean, logStd, actions, logProb);
        DiagonalNormal.Entropy(logStd, entropy);

        // Per row, a bound E on either side's float32 error (DistributionBounds.NormalLogProb/NormalEntropy), so Tempo
        // and torch agree within 2E.
        var expectedLogProb = CategoricalTests.Data(normal.GetProperty("log_prob_sum"));
        var expectedEntropy = CategoricalTests.Data(normal.GetProperty("entropy_sum"));
        var dimension = logStd.Length;
        for (var row = 0; row < batch; row++)
        {
            var (_, logProbError) = DistributionBounds.NormalLogProb(mean.AsSpan(row * dimension, dimension), logStd, actions.AsSpan(row * dimension, dimension));
            var (_, entropyError) = DistributionBounds.NormalEntropy(logStd);
            Float32Bounds.AssertWithin(expectedLogProb[row], logProb[row], 2 * logProbError, $"log_prob_sum[{row}]");
            Float32Bounds.AssertWithin(expectedEntropy[row], entropy[row], 2 * entropyError, $"entropy_sum[{row}]");
        }
    }

    [Fact]
    public void Backward_TorchFixture_MatchesFiniteDifferencesOfDoublePrecisionReference()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "distributions.json")));
        var normal = fixture.RootElement.GetProperty("diag_normal");
        var mean = CategoricalTests.Data(normal.GetProperty("mean"));
        var logStd = CategoricalTests.Data(normal.GetProperty("log_std"));
        var actions = CategoricalTests.Data(normal.GetProperty("actions"));
        var batch = mean.Length / logStd.Length;
        var random = new Random(11);
        var logProbGradient = Enumerable.Range(0, batch).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var entropyGradient = Enumerable.Range(0, batch).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

        CheckGradients(mean, logStd, actions, logProbGradient, entropyGradient);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 3)]
    [InlineData(16, 6)]
    public void Backward_RandomInputs_MatchesFiniteDifferencesOfDoublePrecisionReference(int batch, int dimension)
    {
        var random = new Random((batch * 10) + dimension);
        float Uniform(double scale) => (float)(((random.NextDouble() * 2) - 1) * scale);
        var mean = Enumerable.Range(0, batch * dimension).Select(_ => Uniform(2)).ToArray();
        var logStd = Enumerable.Range(0, dimension).Select(_ => Uniform(1)).ToArray();
        var actions = Enumerable.Range(0, batch * dimension).Select(_ => Uniform(3)).ToArray();
        var logProbGradient = Enumerable.Range(0, batch).Select(_ => Uniform(1)).ToArray();
        var entropyGradient = Enumerable.Range(0, batch).Select(_ => Uniform(1)).ToArray();

        CheckGradients(mean, logStd, actions, logProbGradient, entropyGradient);
    }

    [Fact]
    public void Backward_ExistingLogStdGradient_IsAccumulatedInto()
    {
        float[] mean = [0.5f, -1f];
        float[] logStd = [0.3f];
        float[] actions = [1f, 0f];
        var fresh = new float[1];
        var accumulated = new[] { 2.5f };
        var meanGradient = new float[2];

        DiagonalNormal.Backward(mean, logStd, actions, [1f, -0.5f], [0.2f, 0.1f], meanGradient, fresh);
        DiagonalNormal.Backward(mean, logStd, actions, [1f, -0.5f], [0.2f, 0.1f], meanGradient, accumulated);

        Assert.Equal(fresh[0] + 2.5f, accumulated[0], 1e-6f);
    }

    [Fact]
    public void Backward_ClosedForm_MatchesHandComputation()
    {
        // σ = e^0 = 1, a − μ = 2: ∂logp/∂μ = 2, ∂logp/∂logσ = 4 − 1 = 3; ∂H/∂logσ = 1.
        var meanGradient = new float[1];
        var logStdGradient = new float[1];

        DiagonalNormal.Backward([1f], [0f], [3f], [0.5f], [2f], meanGradient, logStdGradient);

        Assert.Equal(1f, meanGradient[0], 1e-6f);
        Assert.Equal((0.5f * 3f) + 2f, logStdGradient[0], 1e-6f);
    }

    [Fact]
    public void Sample_ManyRows_HasTheDistributionsMeanAndStandardDeviation()
    {
        const int Rows = 20_000;
        float[] rowMean = [0.5f, -1f, 3f];
        float[] logStd = [MathF.Log(2f), MathF.Log(0.5f), 0f];
        var mean = Enumerable.Repeat(rowMean, Rows).SelectMany(row => row).ToArray();
        var actions = new float[mean.Length];

        DiagonalNormal.Sample(mean, logStd, new Random(9), actions);

        for (var j = 0; j < 3; j++)
        {
            var column = Enumerable.Range(0, Rows).Select(row => (double)actions[(row * 3) + j]).ToArray();
            var sampleMean = column.Average();
            var sampleStd = Math.Sqrt(column.Sum(x => (x - sampleMean) * (x - sampleMean)) / (Rows - 1));
            var std = Math.Exp(logStd[j]);
            Assert.InRange(sampleMean, rowMean[j] - (5 * std / Math.Sqrt(Rows)), rowMean[j] + (5 * std / Math.Sqrt(Rows)));
            Assert.InRange(sampleStd / std, 0.97, 1.03);
        }
    }

    [Fact]
    public void Sample_OddLengthSameSeed_IsDeterministicAndFillsEveryElement()
    {
        var mean = new float[7];
        var first = new float[7];
        var second = new float[7];

        DiagonalNormal.Sample(mean, [0f], new Random(3), first);
        DiagonalNormal.Sample(mean, [0f], new Random(3), second);

        Assert.Equal(first, second);
        Assert.All(first, value => Assert.NotEqual(0f, value));
    }

    [Fact]
    public void LogProb_MeanNotMultipleOfDimension_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => DiagonalNormal.LogProb(new float[5], new float[2], new float[5], new float[2]));

        Assert.Equal("mean", error.ParamName);
    }

    [Fact]
    public void LogProbAndBackward_SteadyState_AllocateNothing()
    {
        var mean = new float[64 * 3];
        var logStd = new float[3];
        var actions = new float[mean.Length];
        var logProb = new float[64];
        var meanGradient = new float[mean.Length];
        var logStdGradient = new float[3];
        var random = new Random(0);

        void Step()
        {
            DiagonalNormal.Sample(mean, logStd, random, actions);
            DiagonalNormal.LogProb(mean, logStd, actions, logProb);
            DiagonalNormal.Entropy(logStd, logProb);
            DiagonalNormal.Backward(mean, logStd, actions, logProb, logProb, meanGradient, logStdGradient);
        }

        Assert.Equal(0, Allocations.OnThisThread(Step, warmUp: 1, repetitions: 1));
    }

    private static void CheckGradients(float[] mean, float[] logStd, float[] actions, float[] logProbGradient, float[] entropyGradient)
    {
        var dimension = logStd.Length;
        var batch = mean.Length / dimension;
        var meanGradient = new float[mean.Length];
        var logStdGradient = new float[dimension];

        DiagonalNormal.Backward(mean, logStd, actions, logProbGradient, entropyGradient, meanGradient, logStdGradient);

        // Reference loss L = Σ_b gLogp[b]·log p_b + gH[b]·H_b in double, as a function of (mean, logStd).
        double Loss(double[] meanPoint, double[] logStdPoint)
        {
            double loss = 0;
            for (var row = 0; row < batch; row++)
            {
                double logProb = 0;
                double entropy = 0;
                for (var j = 0; j < dimension; j++)
                {
                    var std = Math.Exp(logStdPoint[j]);
                    var z = (actions[(row * dimension) + j] - meanPoint[(row * dimension) + j]) / std;
                    logProb += (-0.5 * z * z) - logStdPoint[j] - (0.5 * Math.Log(2 * Math.PI));
                    entropy += 0.5 + (0.5 * Math.Log(2 * Math.PI)) + logStdPoint[j];
                }

                loss += (logProbGradient[row] * logProb) + (entropyGradient[row] * entropy);
            }

            return loss;
        }

        var meanPoint = mean.Select(v => (double)v).ToArray();
        var logStdPoint = logStd.Select(v => (double)v).ToArray();
        CategoricalTests.AssertClose(CategoricalTests.FiniteDifferences(m => Loss(m, logStdPoint), meanPoint), meanGradient, "dL/dmean");
        CategoricalTests.AssertClose(CategoricalTests.FiniteDifferences(s => Loss(meanPoint, s), logStdPoint), logStdGradient, "dL/dlogStd");
    }
}

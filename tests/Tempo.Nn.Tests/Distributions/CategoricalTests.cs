using System.Text.Json;
using Tempo.Nn.Distributions;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Distributions;

public sealed class CategoricalTests
{
    [Fact]
    public void LogProbEntropyProbabilities_TorchFixture_MatchTorch()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "distributions.json")));
        var categorical = fixture.RootElement.GetProperty("categorical");
        var logits = Data(categorical.GetProperty("logits"));
        var categoryCount = categorical.GetProperty("logits").GetProperty("shape")[1].GetInt32();
        var actions = categorical.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()).ToArray();
        var batch = actions.Length;
        var logProb = new float[batch];
        var entropy = new float[batch];
        var combinedLogProb = new float[batch];
        var combinedEntropy = new float[batch];
        var probabilities = new float[logits.Length];
        var logProbabilities = new float[logits.Length];

        Categorical.LogProb(logits, categoryCount, actions, logProb);
        Categorical.Entropy(logits, categoryCount, entropy);
        Categorical.LogProbAndEntropy(logits, categoryCount, actions, combinedLogProb, combinedEntropy);
        Categorical.Probabilities(logits, categoryCount, probabilities);
        Categorical.LogProbabilities(logits, categoryCount, logProbabilities);

        // Per row, exact values and a bound E on either side's float32 error (DistributionBounds.Categorical: the
        // roundings of max-shift, exp, the sum, log and the subtractions), so Tempo and torch agree within 2E.
        var expectedLogProb = Data(categorical.GetProperty("log_prob"));
        var expectedEntropy = Data(categorical.GetProperty("entropy"));
        var expectedProbabilities = Data(categorical.GetProperty("probs"));
        for (var row = 0; row < batch; row++)
        {
            var bounds = DistributionBounds.Categorical(logits.AsSpan(row * categoryCount, categoryCount));
            Float32Bounds.AssertWithin(expectedLogProb[row], logProb[row], 2 * bounds.LogProbabilityErrors[actions[row]], $"log_prob[{row}]");
            Float32Bounds.AssertWithin(expectedEntropy[row], entropy[row], 2 * bounds.EntropyError, $"entropy[{row}]");
            for (var j = 0; j < categoryCount; j++)
            {
                var i = (row * categoryCount) + j;
                Float32Bounds.AssertWithin(expectedProbabilities[i], probabilities[i], 2 * bounds.ProbabilityErrors[j], $"probs[{i}]");
            }
        }

        Assert.Equal(logProb, combinedLogProb);
        Assert.Equal(entropy, combinedEntropy);
        for (var row = 0; row < batch; row++)
        {
            Assert.Equal(logProb[row], logProbabilities[(row * categoryCount) + actions[row]]);
        }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(7, 4)]
    [InlineData(5, 9)]
    public void Backward_RandomLogits_MatchesFiniteDifferencesOfDoublePrecisionReference(int batch, int categoryCount)
    {
        var random = new Random((batch * 100) + categoryCount);
        var logits = Enumerable.Range(0, batch * categoryCount).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var actions = Enumerable.Range(0, batch).Select(_ => random.Next(categoryCount)).ToArray();
        var logProbGradient = Enumerable.Range(0, batch).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var entropyGradient = Enumerable.Range(0, batch).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var gradient = new float[logits.Length];

        Categorical.Backward(logits, categoryCount, actions, logProbGradient, entropyGradient, gradient);

        var point = logits.Select(v => (double)v).ToArray();
        double Loss(double[] z)
        {
            double loss = 0;
            for (var row = 0; row < batch; row++)
            {
                var (logProb, entropy) = Reference(z.AsSpan(row * categoryCount, categoryCount), actions[row]);
                loss += (logProbGradient[row] * logProb) + (entropyGradient[row] * entropy);
            }

            return loss;
        }

        AssertClose(FiniteDifferences(Loss, point), gradient, "dL/dlogits");
    }

    [Fact]
    public void Backward_TorchFixtureLogits_MatchesFiniteDifferences()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "distributions.json")));
        var categorical = fixture.RootElement.GetProperty("categorical");
        var logits = Data(categorical.GetProperty("logits"));
        var actions = categorical.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()).ToArray();
        var categoryCount = categorical.GetProperty("logits").GetProperty("shape")[1].GetInt32();

        // CleanRL's PPO loss on these terms: −mean(logp·A) − c·mean(H), here with A = 1 and c = 0.01.
        var logProbGradient = actions.Select(_ => -1f / actions.Length).ToArray();
        var entropyGradient = actions.Select(_ => -0.01f / actions.Length).ToArray();
        var gradient = new float[logits.Length];

        Categorical.Backward(logits, categoryCount, actions, logProbGradient, entropyGradient, gradient);

        double Loss(double[] z)
        {
            double loss = 0;
            for (var row = 0; row < actions.Length; row++)
            {
                var (logProb, entropy) = Reference(z.AsSpan(row * categoryCount, categoryCount), actions[row]);
                loss += (logProbGradient[row] * logProb) + (entropyGradient[row] * entropy);
            }

            return loss;
        }

        AssertClose(FiniteDifferences(Loss, logits.Select(v => (double)v).ToArray()), gradient, "dL/dlogits");
    }

    [Fact]
    public void Backward_ClosedForm_LogProbGradientIsOneHotMinusProbabilities()
    {
        float[] logits = [0.1f, -0.4f, 1.2f];
        var probabilities = new float[3];
        var gradient = new float[3];
        Categorical.Probabilities(logits, 3, probabilities);

        Categorical.Backward(logits, 3, [2], [1f], [0f], gradient);

        Assert.Equal(-probabilities[0], gradient[0], 1e-6f);
        Assert.Equal(-probabilities[1], gradient[1], 1e-6f);
        Assert.Equal(1f - probabilities[2], gradient[2], 1e-6f);
    }

    [Fact]
    public void Backward_GradientOverlappingLogits_IsRejectedByName()
    {
        float[] logits = [0.1f, -0.4f, 1.2f];

        var error = Assert.Throws<ArgumentException>(() => Categorical.Backward(logits, 3, [2], [1f], [0f], logits));

        Assert.Equal("logitsGradient", error.ParamName);
    }

    [Fact]
    public void LogProbAndEntropy_HugeLogits_StayFiniteAsShiftInvariant()
    {
        float[] huge = [1000f, 1001f, 999f];
        float[] shifted = [1f, 2f, 0f];
        var hugeLogProb = new float[1];
        var hugeEntropy = new float[1];
        var shiftedLogProb = new float[1];
        var shiftedEntropy = new float[1];

        Categorical.LogProbAndEntropy(huge, 3, [1], hugeLogProb, hugeEntropy);
        Categorical.LogProbAndEntropy(shifted, 3, [1], shiftedLogProb, shiftedEntropy);

        // Logits near 1000 are only resolved to ~6e-5 in float32, so that is the agreement to expect (not overflow).
        Assert.Equal(shiftedLogProb[0], hugeLogProb[0], 2e-4f);
        Assert.Equal(shiftedEntropy[0], hugeEntropy[0], 2e-4f);
    }

    [Fact]
    public void MaskedLogit_NegativeInfinity_HasZeroProbabilityFiniteEntropyAndIsNeverSampled()
    {
        float[] logits = [0f, float.NegativeInfinity, 0f];
        var entropy = new float[1];
        var logProb = new float[1];
        var gradient = new float[3];
        var actions = new int[1000];

        Categorical.Entropy(logits, 3, entropy);
        Categorical.LogProb(logits, 3, [1], logProb);
        Categorical.Backward(logits, 3, [0], [1f], [1f], gradient);
        var repeated = Enumerable.Repeat(logits, 1000).SelectMany(row => row).ToArray();
        Categorical.Sample(repeated, 3, new Random(1), actions);

        Assert.Equal(MathF.Log(2f), entropy[0], 1e-6f);
        Assert.Equal(float.NegativeInfinity, logProb[0]);
        Assert.All(gradient, value => Assert.True(float.IsFinite(value)));
        Assert.Equal(0f, gradient[1]);
        Assert.DoesNotContain(1, actions);
    }

    [Fact]
    public void Sample_ManyRows_FrequenciesMatchProbabilities()
    {
        const int Rows = 40_000;
        float[] probabilities = [0.1f, 0.2f, 0.7f];
        var logits = Enumerable.Repeat(probabilities.Select(p => MathF.Log(p)).ToArray(), Rows).SelectMany(row => row).ToArray();
        var actions = new int[Rows];

        Categorical.Sample(logits, 3, new Random(42), actions);

        for (var category = 0; category < 3; category++)
        {
            var frequency = actions.Count(action => action == category) / (double)Rows;
            var standardError = Math.Sqrt(probabilities[category] * (1 - probabilities[category]) / Rows);
            Assert.InRange(frequency, probabilities[category] - (5 * standardError), probabilities[category] + (5 * standardError));
        }
    }

    [Fact]
    public void Sample_SameSeed_SameActions()
    {
        var logits = Enumerable.Range(0, 60).Select(i => MathF.Sin(i)).ToArray();
        var first = new int[20];
        var second = new int[20];

        Categorical.Sample(logits, 3, new Random(5), first);
        Categorical.Sample(logits, 3, new Random(5), second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sample_NaNLogits_ThrowsNamingTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => Categorical.Sample([0f, 1f, float.NaN, 0f], 2, new Random(0), new int[2]));

        Assert.Contains("Row 1", error.Message);
    }

    [Fact]
    public void LogProb_ActionOutOfRange_ThrowsNamingActionAndRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Categorical.LogProb([0f, 0f, 0f, 0f], 2, [1, 2], new float[2]));

        Assert.Contains("Action 2 in row 1", error.Message);
    }

    [Fact]
    public void Entropy_LogitsNotMultipleOfCategoryCount_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Categorical.Entropy(new float[5], 2, new float[2]));

        Assert.Contains("5", error.Message);
    }

    [Fact]
    public void LogProb_OutputWrongLength_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Categorical.LogProb(new float[4], 2, [0, 1], new float[3]));

        Assert.Equal("logProb", error.ParamName);
    }

    [Fact]
    public void LogProbAndEntropyAndBackward_SteadyState_AllocateNothing()
    {
        var logits = Enumerable.Range(0, 64 * 6).Select(i => MathF.Cos(i)).ToArray();
        var actions = Enumerable.Range(0, 64).Select(i => i % 6).ToArray();
        var logProb = new float[64];
        var entropy = new float[64];
        var gradient = new float[logits.Length];
        var random = new Random(0);

        void Step()
        {
            Categorical.LogProbAndEntropy(logits, 6, actions, logProb, entropy);
            Categorical.Backward(logits, 6, actions, logProb, entropy, gradient);
            Categorical.Sample(logits, 6, random, actions);
        }

        Assert.Equal(0, Allocations.OnThisThread(Step, warmUp: 1, repetitions: 1));
    }

    private static (double LogProb, double Entropy) Reference(ReadOnlySpan<double> logits, int action)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }

        var logSumExp = max + Math.Log(sum);
        double entropy = 0;
        foreach (var value in logits)
        {
            entropy -= Math.Exp(value - logSumExp) * (value - logSumExp);
        }

        return (logits[action] - logSumExp, entropy);
    }

    internal static float[] FiniteDifferences(Func<double[], double> loss, double[] point)
    {
        const double Step = 1e-6;
        var gradient = new float[point.Length];
        for (var i = 0; i < point.Length; i++)
        {
            var original = point[i];
            point[i] = original + Step;
            var plus = loss(point);
            point[i] = original - Step;
            var minus = loss(point);
            point[i] = original;
            gradient[i] = (float)((plus - minus) / (2 * Step));
        }

        return gradient;
    }

    internal static float[] Data(JsonElement tensor) =>
        tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();

    /// <summary>Compares a float32 analytic gradient with central differences of a double-precision reference loss.</summary>
    /// <remarks>
    /// Not a parity bound (torch comparisons use <see cref="DistributionBounds"/>): it separates a wrong formula from
    /// rounding. The differences (h = 1e-6, double) are within h²/6·|L‴| + n·2^-53·Σ|L terms|/h ≲ 1e-8 for these
    /// losses (|logits| ≤ 5, |L| ≤ 100, n ≤ 100), and the float32 gradient within ~10u·(|g| + 1) ≈ 6e-7·(|g| + 1) of
    /// exact, so 1e-5 + 1e-4·|g| holds both with a margin of 10 while any wrong term (order |g| or 1) fails it.
    /// </remarks>
    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-5 + (1e-4 * Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }
}

using System.Text.Json;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Optimizers;

public sealed class AdamTests
{
    [Fact]
    public void Step_TorchAdamFixture_MatchesEveryStep()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "adam.json")));
        var root = fixture.RootElement;
        var snapshots = root.GetProperty("params").EnumerateArray().Select(Data).ToArray();
        var gradients = root.GetProperty("grads").EnumerateArray().Select(Data).ToArray();
        Assert.Equal(gradients.Length + 1, snapshots.Length);
        Assert.NotEmpty(gradients);

        var parameter = new Parameter("p", snapshots[0].Length);
        snapshots[0].CopyTo(parameter.Value.Span);
        var adam = new Adam([parameter], new AdamOptions
        {
            LearningRate = root.GetProperty("lr").GetDouble(),
            Beta1 = root.GetProperty("betas")[0].GetDouble(),
            Beta2 = root.GetProperty("betas")[1].GetDouble(),
            Epsilon = root.GetProperty("eps").GetDouble(),
        });

        for (var step = 0; step < gradients.Length; step++)
        {
            gradients[step].CopyTo(parameter.Gradient.Span);
            adam.Step();
            AssertWithinUlps(snapshots[step + 1], parameter.Value.Span.ToArray(), $"after step {step + 1}");
        }

        Assert.Equal(gradients.Length, adam.State.StepCount);
    }

    [Fact]
    public void ClipGradNormThenStep_PpoFixture_MatchesTorchParametersAfterStep()
    {
        // ppo_discrete.json: CleanRL's update: clip_grad_norm_(max_grad_norm), then one Adam step (lr, eps 1e-5).
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePaths.Require(FixturePaths.Torch, "ppo_discrete.json")));
        var root = fixture.RootElement;
        var hyper = root.GetProperty("hyper");
        var parameters = new List<Parameter>();
        foreach (var entry in root.GetProperty("params").EnumerateObject())
        {
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var parameter = new Parameter(entry.Name, shape);
            Data(entry.Value).CopyTo(parameter.Value.Span);
            Data(root.GetProperty("grads").GetProperty(entry.Name)).CopyTo(parameter.Gradient.Span);
            parameters.Add(parameter);
        }

        var adam = new Adam(parameters, new AdamOptions
        {
            LearningRate = hyper.GetProperty("lr").GetDouble(),
            Epsilon = hyper.GetProperty("adam_eps").GetDouble(),
        });

        var before = parameters.ToDictionary(p => p.Name, p => p.Value.Span.ToArray());
        var gradients = parameters.ToDictionary(p => p.Name, p => p.Gradient.Span.ToArray());
        var maxNorm = hyper.GetProperty("max_grad_norm").GetSingle();
        var norm = Gradients.ClipGradNorm(parameters, maxNorm);
        adam.Step();

        // The norm: torch adds squares in float32 in its own order, Tempo in double (see NormRelativeBound).
        var normBound = NormRelativeBound(parameters.Select(p => p.Value.Length));
        var torchNorm = root.GetProperty("grad_norm_before_clip").GetSingle();
        AssertWithinUlps([torchNorm], [norm], "norm before clipping", (int)Math.Ceiling(normBound / Unit));

        // The step: Adam's direction m̂/(√v̂ + ε) does not change when every gradient is scaled by the same c, except through
        // ε: d ln(g/(|g| + ε)) / d ln g = ε/(|g| + ε). So the clip coefficient's relative error (the norm's, plus one rounding
        // of maxNorm/(norm + 1e-6)) reaches an update only in proportion ε/(|g'| + ε); Adam's own ten or so float operations,
        // done in torch's order on inputs that may differ, add up to 10 roundings of the update; the result's rounding 1 ulp.
        var epsilon = hyper.GetProperty("adam_eps").GetDouble();
        var coefficient = Math.Min(1.0, maxNorm / (torchNorm + 1e-6));
        var coefficientBound = normBound + Unit;
        foreach (var parameter in parameters)
        {
            var expected = Data(root.GetProperty("params_after_adam_step").GetProperty(parameter.Name));
            var actual = parameter.Value.Span;
            for (var i = 0; i < expected.Length; i++)
            {
                var update = Math.Abs((double)before[parameter.Name][i] - expected[i]);
                var clipped = Math.Abs(gradients[parameter.Name][i] * coefficient);
                var bound = (update * ((coefficientBound * epsilon / (clipped + epsilon)) + (10 * Unit))) + Ulp(expected[i]);
                Assert.True(
                    Math.Abs((double)actual[i] - expected[i]) <= bound,
                    $"{parameter.Name}[{i}]: expected {expected[i]:R}, got {actual[i]:R}, {Math.Abs((double)actual[i] - expected[i]):G3} apart; bound {bound:G3} (update {update:G3}, clipped gradient {clipped:G3}).");
            }
        }
    }

    /// <summary>Float32's unit roundoff, 2^-24: one rounding moves a value by at most this much relative to it.</summary>
    private const double Unit = 1.0 / (1 << 24);

    /// <summary>
    /// A bound on the relative difference between Tempo's global gradient norm and torch.nn.utils.clip_grad_norm_'s
    /// (PyTorch 1.13, CPU), from the operation count and reduction order of both.
    /// </summary>
    /// <remarks>
    /// <para>Torch: each tensor's <c>torch.norm(g)</c> takes the vectorised float32 path: L lanes (8 with AVX2, 16 with
    /// AVX-512, whichever the CPU that made the fixture had) each add ⌈n/L⌉ squares in sequence, the lanes are then
    /// added in sequence (L − 1 additions) and the n mod L tail one by one; a square costs one more rounding unless
    /// fused. A sum of positive terms through a chain of k roundings is off by at most k·u relative (first order), the
    /// float sqrt halves that and adds u/2. The total norm is the same kernel over the tensors' norms, whose squares
    /// carry twice their norms' error plus a rounding.</para>
    /// <para>Tempo adds squares in double (exact to ~n·2^-53) and rounds each tensor's norm and the total to float once:
    /// at most u in all. The sum of both is a worst case (every rounding one way); fixtures land within a few ulps.</para>
    /// </remarks>
    private static double NormRelativeBound(IEnumerable<int> tensorLengths)
    {
        static double Chain(int n) => new[] { 8, 16 }.Max(lanes => Math.Ceiling(n / (double)lanes) + (lanes - 1) + (n % lanes) + 1);
        static double SqrtOfSum(int n) => (Chain(n) / 2) + 0.5;
        var lengths = tensorLengths.ToArray();
        var perTensor = lengths.Max(SqrtOfSum);
        var total = perTensor + 0.5 + SqrtOfSum(lengths.Length);
        return (total + 1) * Unit;
    }

    /// <summary>The distance from <paramref name="value"/> to the next float away from zero.</summary>
    private static double Ulp(float value) => Math.Abs((double)MathF.BitIncrement(Math.Abs(value)) - Math.Abs(value));

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(1000)]
    public void Step_AnyLength_MatchesScalarReferenceBitForBit(int length)
    {
        var options = new AdamOptions { LearningRate = 0.003, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-5, WeightDecay = 0.01 };
        var random = new Random(length);
        var parameter = new Parameter("w", length);
        var reference = new AdamReference(options, length);
        for (var i = 0; i < length; i++)
        {
            parameter.Value.Span[i] = reference.Parameter[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var adam = new Adam([parameter], options);
        for (var step = 0; step < 5; step++)
        {
            for (var i = 0; i < length; i++)
            {
                parameter.Gradient.Span[i] = reference.Gradient[i] = (float)((random.NextDouble() * 4) - 2);
            }

            adam.Step();
            reference.Step();
            Assert.Equal(reference.Parameter, parameter.Value.Span.ToArray());
            Assert.Equal(reference.ExpAvg, adam.State.Buffer(0, 0).Span.ToArray());
            Assert.Equal(reference.ExpAvgSq, adam.State.Buffer(1, 0).Span.ToArray());
        }
    }

    [Fact]
    public void Step_FirstStep_MovesEachElementByLearningRateTimesSignOfGradient()
    {
        // After one step m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε).
        var parameter = new Parameter("w", 3);
        float[] gradient = [0.5f, -2f, 1e-3f];
        gradient.CopyTo(parameter.Gradient.Span);
        var adam = new Adam([parameter], new AdamOptions { LearningRate = 0.1, Epsilon = 1e-8 });

        adam.Step();

        for (var i = 0; i < gradient.Length; i++)
        {
            var expected = -0.1 * gradient[i] / (Math.Abs(gradient[i]) + 1e-8);
            Assert.Equal(expected, parameter.Value.Span[i], 1e-6);
        }
    }

    [Fact]
    public void Step_WeightDecay_AddsDecayTimesParameterToGradient()
    {
        var decayed = new Parameter("w", 2);
        var explicitGradient = new Parameter("w", 2);
        float[] values = [1.5f, -0.5f];
        float[] gradient = [0.2f, 0.3f];
        values.CopyTo(decayed.Value.Span);
        values.CopyTo(explicitGradient.Value.Span);
        gradient.CopyTo(decayed.Gradient.Span);
        for (var i = 0; i < 2; i++)
        {
            explicitGradient.Gradient.Span[i] = gradient[i] + (0.1f * values[i]);
        }

        new Adam([decayed], new AdamOptions { LearningRate = 0.01, WeightDecay = 0.1 }).Step();
        new Adam([explicitGradient], new AdamOptions { LearningRate = 0.01 }).Step();

        Assert.Equal(explicitGradient.Value.Span.ToArray(), decayed.Value.Span.ToArray());
        Assert.Equal(gradient, decayed.Gradient.Span.ToArray());
    }

    [Fact]
    public void Step_Maximize_StepsAlongTheGradient()
    {
        var parameter = new Parameter("w", 1);
        parameter.Gradient.Span[0] = 1f;

        new Adam([parameter], new AdamOptions { LearningRate = 0.1, Maximize = true }).Step();

        Assert.True(parameter.Value.Span[0] > 0.099f);
    }

    [Fact]
    public void LearningRate_ChangedBetweenSteps_NextStepUsesNewRate()
    {
        var options = new AdamOptions { LearningRate = 0.01 };
        var parameter = new Parameter("w", 4);
        var reference = new AdamReference(options, 4);
        var adam = new Adam([parameter], options);
        for (var step = 0; step < 4; step++)
        {
            for (var i = 0; i < 4; i++)
            {
                parameter.Gradient.Span[i] = reference.Gradient[i] = (step + 1) * (i - 1.5f);
            }

            adam.LearningRate = reference.LearningRate = 0.01 * (1 - (step / 4.0));
            adam.Step();
            reference.Step();
        }

        Assert.Equal(reference.Parameter, parameter.Value.Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = double.NaN);
    }

    [Fact]
    public void Step_SteadyState_AllocatesNothing()
    {
        var parameters = new[] { new Parameter("a", 64, 64), new Parameter("b", 13) };
        foreach (var parameter in parameters)
        {
            parameter.Gradient.Span.Fill(0.25f);
        }

        var adam = new Adam(parameters, new AdamOptions { WeightDecay = 0.01 });

        Assert.Equal(0, Allocations.OnThisThread(adam.Step, warmUp: 1, repetitions: 100));
    }

    [Fact]
    public void Constructor_SameParameterTwice_ThrowsNamingIt()
    {
        var parameter = new Parameter("layer.weight", 2);

        var error = Assert.Throws<ArgumentException>(() => new Adam([parameter, parameter], new AdamOptions()));

        Assert.Contains("layer.weight", error.Message);
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new Adam([new Parameter("w", 1), new Parameter("w", 2)], new AdamOptions()));

        Assert.Contains("'w'", error.Message);
    }

    [Theory]
    [InlineData(-0.1, 0.9, 0.999, 1e-8)]
    [InlineData(1e-3, 1.0, 0.999, 1e-8)]
    [InlineData(1e-3, 0.9, -0.1, 1e-8)]
    [InlineData(1e-3, 0.9, 0.999, -1e-8)]
    public void Constructor_OutOfRangeHyperparameter_Throws(double learningRate, double beta1, double beta2, double epsilon)
    {
        var options = new AdamOptions { LearningRate = learningRate, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon };

        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([new Parameter("w", 1)], options));
    }

    [Fact]
    public void Step_ParameterReshapedAfterConstruction_ThrowsNamingIt()
    {
        var parameter = new Parameter("w", 4);
        var adam = new Adam([parameter], new AdamOptions());
        parameter.Gradient.Reshape(2);

        var error = Assert.Throws<InvalidOperationException>(adam.Step);

        Assert.Contains("'w'", error.Message);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var parameters = new[] { new Parameter("a", 3), new Parameter("b", 2, 2) };
        foreach (var parameter in parameters)
        {
            parameter.Gradient.Span.Fill(1f);
        }

        new Adam(parameters, new AdamOptions()).ZeroGrad();

        Assert.All(parameters, parameter => Assert.All(parameter.Gradient.Span.ToArray(), value => Assert.Equal(0f, value)));
    }

    internal static float[] Data(JsonElement tensor) =>
        tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();

    /// <summary>
    /// Asserts agreement to <paramref name="maxUlps"/> units in the last place (1 by default: following PyTorch's float32
    /// order of operations reproduces its results bit for bit on x64 today; one ulp leaves room only for a platform's pow).
    /// </summary>
    internal static void AssertWithinUlps(float[] expected, float[] actual, string what, int maxUlps = 1)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(
                ulps <= maxUlps && Math.Sign(expected[i]) == Math.Sign(actual[i]),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} ({ulps} ulps apart; bound {maxUlps}).");
        }
    }

    /// <summary>A deliberately plain transcription of torch.optim.Adam's single-tensor loop (PyTorch 1.13).</summary>
    private sealed class AdamReference(AdamOptions options, int length)
    {
        private int _step;

        public double LearningRate { get; set; } = options.LearningRate;

        public float[] Parameter { get; } = new float[length];

        public float[] Gradient { get; } = new float[length];

        public float[] ExpAvg { get; } = new float[length];

        public float[] ExpAvgSq { get; } = new float[length];

        public void Step()
        {
            _step++;
            var biasCorrection1 = 1 - Math.Pow(options.Beta1, _step);
            var biasCorrection2 = 1 - Math.Pow(options.Beta2, _step);
            var stepSize = LearningRate / biasCorrection1;
            var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
            for (var i = 0; i < length; i++)
            {
                var grad = Gradient[i];
                if (options.WeightDecay != 0)
                {
                    grad += (float)options.WeightDecay * Parameter[i];
                }

                ExpAvg[i] = (ExpAvg[i] * (float)options.Beta1) + ((float)(1 - options.Beta1) * grad);
                ExpAvgSq[i] = (ExpAvgSq[i] * (float)options.Beta2) + ((float)(1 - options.Beta2) * grad * grad);
                var denominator = (MathF.Sqrt(ExpAvgSq[i]) / (float)biasCorrection2Sqrt) + (float)options.Epsilon;
                Parameter[i] += (float)-stepSize * ExpAvg[i] / denominator;
            }
        }
    }
}

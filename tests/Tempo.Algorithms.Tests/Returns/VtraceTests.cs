using System.Text.Json;
using Tempo.Algorithms.Returns;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Returns;

public sealed class VtraceTests
{
    public static TheoryData<int> FixtureCases()
    {
        using var document = FixtureTensor.Load(FixturePaths.Torch, "vtrace.json");
        var data = new TheoryData<int>();
        for (var i = 0; i < document.RootElement.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Compute_FixtureCase_MatchesReference(int caseIndex)
    {
        using var document = FixtureTensor.Load(FixturePaths.Torch, "vtrace.json");
        var root = document.RootElement;
        var testCase = root.GetProperty("cases")[caseIndex];
        var rewards = FixtureTensor.Read(root, "rewards").Floats;
        var expectedVs = FixtureTensor.Read(testCase, "vs").Data;
        var expectedAdvantages = FixtureTensor.Read(testCase, "pg_advantages").Data;
        var vs = new float[rewards.Length];
        var advantages = new float[rewards.Length];

        Vtrace.Compute(
            FixtureTensor.Read(root, "behaviour_logprobs").Floats,
            FixtureTensor.Read(root, "target_logprobs").Floats,
            FixtureTensor.Read(root, "discounts").Floats,
            rewards,
            FixtureTensor.Read(root, "values").Floats,
            FixtureTensor.Read(root, "bootstrap_value").Floats,
            (float)testCase.GetProperty("rho_bar").GetDouble(),
            (float)testCase.GetProperty("c_bar").GetDouble(),
            vs,
            advantages);

        AssertWithinRoundingBound(root, testCase, vs, advantages);
    }

    /// <summary>
    /// The reference is float64 (eq. 1 on float64 inputs); ours casts the inputs to float32 and computes in float32. The
    /// bound follows each step's first-order rounding budget, u = 2^-24: ρ = exp(ℓ) has relative error
    /// u·(|μ| + |π| + |ℓ|) from casting both log-probs and rounding ℓ, plus 2u from expf (glibc: under 1 ulp) and u when
    /// ρ̄ or c̄ (0.9, 0.8) is itself cast; r + γV′ − V is within γ_6·(|r| + |γV′| + |V|) (four casts, three operations);
    /// acc_t = δ_t + γc·acc_{t+1} adds its own three roundings and carries the error of acc_{t+1} scaled by γc (the
    /// recurrence damps it as GAE's does); v_s = V + acc and the advantage ρ(r + γv′ − V) follow the same way.
    /// </summary>
    private static void AssertWithinRoundingBound(JsonElement root, JsonElement testCase, float[] vs, float[] advantages)
    {
        const double Unit = 1.0 / (1 << 24);
        const double Gamma6 = 6 * Unit / (1 - (6 * Unit));
        var behaviour = FixtureTensor.Read(root, "behaviour_logprobs").Data;
        var target = FixtureTensor.Read(root, "target_logprobs").Data;
        var discounts = FixtureTensor.Read(root, "discounts").Data;
        var rewards = FixtureTensor.Read(root, "rewards").Data;
        var values = FixtureTensor.Read(root, "values").Data;
        var bootstrap = FixtureTensor.Read(root, "bootstrap_value").Data;
        var expectedVs = FixtureTensor.Read(testCase, "vs").Data;
        var expectedAdvantages = FixtureTensor.Read(testCase, "pg_advantages").Data;
        var rhoBar = testCase.GetProperty("rho_bar").GetDouble();
        var cBar = testCase.GetProperty("c_bar").GetDouble();
        var clipCast = (double)(float)rhoBar == rhoBar && (double)(float)cBar == cBar ? 0 : Unit;
        var batch = bootstrap.Length;
        var steps = rewards.Length / batch;
        for (var b = 0; b < batch; b++)
        {
            var nextValue = bootstrap[b];
            var nextVs = bootstrap[b];
            var nextVsError = Unit * Math.Abs(bootstrap[b]);
            var nextAcc = 0.0;
            var nextAccError = 0.0;
            for (var t = steps - 1; t >= 0; t--)
            {
                var i = (t * batch) + b;
                var logRatio = target[i] - behaviour[i];
                var ratioError = (Unit * (Math.Abs(behaviour[i]) + Math.Abs(target[i]) + Math.Abs(logRatio) + 2)) + clipCast;
                var ratio = Math.Exp(logRatio);
                var rho = Math.Min(rhoBar, ratio);
                var c = Math.Min(cBar, ratio);
                var gamma = discounts[i];
                var inner = rewards[i] + (gamma * nextValue) - values[i];
                var innerError = Gamma6 * (Math.Abs(rewards[i]) + Math.Abs(gamma * nextValue) + Math.Abs(values[i]));
                var deltaError = (rho * innerError) + ((ratioError + Unit) * Math.Abs(rho * inner));
                var acc = expectedVs[i] - values[i];
                var accError = deltaError + (gamma * c * nextAccError) + ((ratioError + (3 * Unit)) * Math.Abs(gamma * c * nextAcc)) + (Unit * Math.Abs(acc));
                var vsBound = accError + (Unit * (Math.Abs(values[i]) + Math.Abs(expectedVs[i])));
                var pgInner = Gamma6 * (Math.Abs(rewards[i]) + Math.Abs(gamma * nextVs) + Math.Abs(values[i]));
                var advantageBound = (rho * (pgInner + (gamma * nextVsError))) + ((ratioError + Unit) * Math.Abs(expectedAdvantages[i]));
                Assert.True(Math.Abs(vs[i] - expectedVs[i]) <= vsBound, $"vs[{i}]: expected {expectedVs[i]:R}, got {vs[i]:R}; bound {vsBound:G3}");
                Assert.True(Math.Abs(advantages[i] - expectedAdvantages[i]) <= advantageBound, $"pg_advantages[{i}]: expected {expectedAdvantages[i]:R}, got {advantages[i]:R}; bound {advantageBound:G3}");
                nextValue = values[i];
                nextVs = expectedVs[i];
                nextVsError = vsBound;
                nextAcc = acc;
                nextAccError = accError;
            }
        }
    }

    [Fact]
    public void Compute_OnPolicy_EqualsDiscountedNStepReturn()
    {
        // With μ = π and ρ̄ = c̄ = 1, v_s is the on-policy n-step Bellman target (IMPALA, remark 1).
        float[] rewards = [1f, 2f, 3f];
        float[] values = [0.3f, -0.2f, 0.7f];
        float[] discounts = [0.9f, 0.9f, 0.9f];
        float[] logProbs = [-0.5f, -1f, -0.1f];
        var vs = new float[3];
        var advantages = new float[3];

        Vtrace.Compute(logProbs, logProbs, discounts, rewards, values, [4f], 1f, 1f, vs, advantages);

        var v2 = 3f + (0.9f * 4f);
        var v1 = 2f + (0.9f * v2);
        var v0 = 1f + (0.9f * v1);
        Assert.Equal(v0, vs[0], 1e-5f);
        Assert.Equal(v1, vs[1], 1e-5f);
        Assert.Equal(v2, vs[2], 1e-5f);
        Assert.Equal(1f + (0.9f * v1) - 0.3f, advantages[0], 1e-5f);
    }

    [Fact]
    public void Compute_ZeroDiscount_CutsTracesAtEpisodeEnd()
    {
        var vs = new float[2];
        var advantages = new float[2];

        Vtrace.Compute([0f, 0f], [0f, 0f], [0f, 0.5f], [1f, 1f], [0f, 0f], [100f], 1f, 1f, vs, advantages);

        Assert.Equal(1f, vs[0]);
        Assert.Equal(1f + 50f, vs[1]);
    }
}

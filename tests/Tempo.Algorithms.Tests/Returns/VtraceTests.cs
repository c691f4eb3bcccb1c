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

        for (var i = 0; i < vs.Length; i++)
        {
            Assert.Equal(expectedVs[i], vs[i], 1e-5 + (1e-4 * Math.Abs(expectedVs[i])));
            Assert.Equal(expectedAdvantages[i], advantages[i], 1e-5 + (1e-4 * Math.Abs(expectedAdvantages[i])));
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

using Tempo.Algorithms.Returns;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Returns;

public sealed class GaeTests
{
    [Fact]
    public void Compute_CleanRlFixture_MatchesPyTorch()
    {
        using var document = FixtureTensor.Load(FixturePaths.Torch, "gae.json");
        var root = document.RootElement;
        var gamma = (float)root.GetProperty("gamma").GetDouble();
        var lambda = (float)root.GetProperty("lambda").GetDouble();
        var rewards = FixtureTensor.Read(root, "rewards");
        var values = FixtureTensor.Read(root, "values").Floats;
        var dones = FixtureTensor.Read(root, "dones").Data;
        var nextValue = FixtureTensor.Read(root, "next_value").Floats;
        var nextDone = FixtureTensor.Read(root, "next_done").Data;
        var expectedAdvantages = FixtureTensor.Read(root, "advantages").Data;
        var expectedReturns = FixtureTensor.Read(root, "returns").Data;
        var (steps, envs) = (rewards.Shape[0], rewards.Shape[1]);

        // CleanRL's dones[t] marks that obs[t] starts a new episode, i.e. step t − 1 ended one;
        // our flags mark the step that ends the episode. CleanRL does not tell truncation apart.
        var terminated = new bool[steps * envs];
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < envs; i++)
            {
                terminated[(t * envs) + i] = (t + 1 < steps ? dones[((t + 1) * envs) + i] : nextDone[i]) > 0.5;
            }
        }

        var advantages = new float[steps * envs];
        var returns = new float[steps * envs];
        Gae.Compute(rewards.Floats, values, terminated, new bool[steps * envs], new float[steps * envs], nextValue, gamma, lambda, advantages, returns);

        // Both sides run the float32 recurrence δ_t = r_t + γ·V_{t+1}·m − V_t, Â_t = δ_t + γλ·m·Â_{t+1} (m = 1 − done), maybe
        // with other fusing. δ_t takes at most 4 roundings of terms no larger than M_t = |r_t| + γ|V_{t+1}| + |V_t|, and
        // Â_t 3 more of terms no larger than |δ_t| + γλ|Â_{t+1}|; an error in Â_{t+1} reaches Â_t scaled by γλ·m. So
        // each side is within E_t = u·(4·M_t + 3·(|δ_t| + γλ|Â_{t+1}|)) + γλ·m·E_{t+1} of exact, and the two within 2·E_t;
        // the return R_t = Â_t + V_t adds one rounding of |Â_t| + |V_t| on each side.
        const double Unit = 1.0 / (1 << 24);
        var next = new double[envs];
        for (var t = steps - 1; t >= 0; t--)
        {
            for (var i = 0; i < envs; i++)
            {
                var at = (t * envs) + i;
                var mask = terminated[at] ? 0.0 : 1.0;
                var nextValueHere = t + 1 < steps ? values[at + envs] : nextValue[i];
                var nextAdvantage = t + 1 < steps ? Math.Abs(expectedAdvantages[at + envs]) : 0;
                var magnitude = Math.Abs(rewards.Floats[at]) + (gamma * Math.Abs(nextValueHere)) + Math.Abs(values[at]);
                var delta = Math.Abs(rewards.Floats[at] + (gamma * nextValueHere * mask) - values[at]);
                next[i] = (Unit * ((4 * magnitude) + (3 * (delta + (gamma * lambda * nextAdvantage))))) + (gamma * lambda * mask * next[i]);
                var advantageBound = 2 * next[i];
                var returnBound = advantageBound + (2 * Unit * (Math.Abs(expectedAdvantages[at]) + Math.Abs(values[at])));
                Assert.True(Math.Abs(expectedAdvantages[at] - advantages[at]) <= advantageBound, $"advantage[{at}]: expected {expectedAdvantages[at]:R}, got {advantages[at]:R}; bound {advantageBound:G3}");
                Assert.True(Math.Abs(expectedReturns[at] - returns[at]) <= returnBound, $"return[{at}]: expected {expectedReturns[at]:R}, got {returns[at]:R}; bound {returnBound:G3}");
            }
        }
    }

    [Fact]
    public void Compute_ThreeStepsHandComputed_MatchesDefinition()
    {
        // One env, no episode end: δ_t = r_t + γV_{t+1} − V_t, Â_t = δ_t + γλÂ_{t+1}.
        float[] rewards = [1f, 0f, 2f];
        float[] values = [0.5f, 1f, -1f];
        const float Gamma = 0.9f, Lambda = 0.8f, Bootstrap = 3f;
        var d2 = 2f + (Gamma * Bootstrap) - (-1f);
        var d1 = 0f + (Gamma * -1f) - 1f;
        var d0 = 1f + (Gamma * 1f) - 0.5f;
        var a2 = d2;
        var a1 = d1 + (Gamma * Lambda * a2);
        var a0 = d0 + (Gamma * Lambda * a1);

        var advantages = new float[3];
        var returns = new float[3];
        Gae.Compute(rewards, values, new bool[3], new bool[3], new float[3], [Bootstrap], Gamma, Lambda, advantages, returns);

        Assert.Equal([a0, a1, a2], advantages);
        Assert.Equal([a0 + 0.5f, a1 + 1f, a2 - 1f], returns);
    }

    [Fact]
    public void Compute_TruncatedStep_BootstrapsFromFinalObservationValue()
    {
        // Step 0 is cut off by a time limit: its target uses V(final observation) = 10, and the
        // advantage of step 1 (a new episode) does not flow back into step 0.
        float[] rewards = [1f, 1f];
        float[] values = [0f, 0f];
        bool[] truncated = [true, false];
        float[] truncationValues = [10f, 0f];
        var advantages = new float[2];
        var returns = new float[2];

        Gae.Compute(rewards, values, new bool[2], truncated, truncationValues, [5f], 0.5f, 1f, advantages, returns);

        Assert.Equal(1f + (0.5f * 10f), advantages[0]);
        Assert.Equal(1f + (0.5f * 5f), advantages[1]);
    }

    [Fact]
    public void Compute_TerminatedAndTruncatedOnSameStep_TreatsStepAsTerminal()
    {
        var advantages = new float[1];
        var returns = new float[1];

        Gae.Compute([1f], [0f], [true], [true], [10f], [5f], 0.5f, 1f, advantages, returns);

        Assert.Equal(1f, advantages[0]);
    }

    [Fact]
    public void Compute_MismatchedLengths_ThrowsNamingTheBuffer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gae.Compute(new float[4], new float[3], new bool[4], new bool[4], new float[4], new float[2], 0.9f, 0.9f, new float[4], new float[4]));

        Assert.Equal("values", error.ParamName);
    }
}

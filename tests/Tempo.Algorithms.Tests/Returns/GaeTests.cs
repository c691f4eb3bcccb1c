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

        for (var i = 0; i < advantages.Length; i++)
        {
            Assert.Equal(expectedAdvantages[i], advantages[i], 1e-5 + (1e-4 * Math.Abs(expectedAdvantages[i])));
            Assert.Equal(expectedReturns[i], returns[i], 1e-5 + (1e-4 * Math.Abs(expectedReturns[i])));
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

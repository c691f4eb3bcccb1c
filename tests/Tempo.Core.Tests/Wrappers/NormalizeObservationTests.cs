using Tempo.Core.Spaces;
using Tempo.Core.Tests.Statistics;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Wrappers;

public sealed class NormalizeObservationTests
{
    [Fact]
    public void ResetAndStep_NormalizeWithStatisticsThatIncludeTheCurrentObservation()
    {
        var raw = new List<float[]>();
        using var reference = new CountingEnv(episodeLength: 10);
        var buffer = new float[3];
        reference.Reset(buffer, seed: 3);
        raw.Add([.. buffer]);
        for (var t = 0; t < 4; t++)
        {
            reference.Step([t % 3], buffer);
            raw.Add([.. buffer]);
        }

        using var env = new NormalizeObservation<int>(new CountingEnv(episodeLength: 10));
        var observation = new float[3];
        for (var t = 0; t < raw.Count; t++)
        {
            if (t == 0)
            {
                env.Reset(observation, seed: 3);
            }
            else
            {
                env.Step([(t - 1) % 3], observation);
            }

            for (var d = 0; d < 3; d++)
            {
                // Gymnasium updates first, then maps (x - mean) / sqrt(var + 1e-8).
                var (mean, variance, _) = PooledMoments.Of(raw.Take(t + 1).Select(o => (double)o[d]).ToArray());
                var expected = (float)((raw[t][d] - mean) / Math.Sqrt(variance + 1e-8));
                Assert.Equal(expected, observation[d], 1e-5f);
            }
        }
    }

    [Fact]
    public void Reset_FirstObservation_MatchesHandComputedValue()
    {
        // One sample x merged into (0, 1, 1e-4): mean = x / 1.0001, var = (1e-4 + x² · 1e-4 / 1.0001) / 1.0001.
        using var env = new NormalizeObservation<int>(new CountingEnv());
        var observation = new float[3];

        env.Reset(observation, seed: 3);

        const double x = -1; // last action after reset
        var mean = x / 1.0001;
        var variance = (1e-4 + (x * x * 1e-4 / 1.0001)) / 1.0001;
        Assert.Equal((float)((x - mean) / Math.Sqrt(variance + 1e-8)), observation[1], 1e-6f);
        Assert.Equal(0f, observation[0]);
    }

    [Fact]
    public void Step_UpdateStatisticsOff_FreezesStatisticsButStillNormalizes()
    {
        using var env = new NormalizeObservation<int>(new CountingEnv(episodeLength: 10));
        var observation = new float[3];
        env.Reset(observation, seed: 3);
        env.Step([1], observation);
        var frozen = env.GetState();

        env.UpdateStatistics = false;
        env.Step([2], observation);

        Assert.Equal(frozen, env.GetState());
        var expected = (float)((2.0 - frozen.Mean[0]) / Math.Sqrt(frozen.Variance[0] + 1e-8));
        Assert.Equal(expected, observation[0], 1e-6f);
    }

    [Fact]
    public void SetState_RestoredWrapper_NormalizesIdentically()
    {
        using var source = new NormalizeObservation<int>(new CountingEnv(episodeLength: 10));
        var a = new float[3];
        source.Reset(a, seed: 3);
        source.Step([1], a);
        source.Step([2], a);

        using var restored = new NormalizeObservation<int>(new CountingEnv(episodeLength: 10));
        restored.SetState(source.GetState());
        var b = new float[3];
        restored.Reset(b, seed: 3);
        source.Reset(a, seed: 3);

        Assert.Equal(a, b);
        Assert.Equal(source.GetState(), restored.GetState());
    }

    [Fact]
    public void ObservationSpace_IsUnboundedWithInnerShape()
    {
        using var env = new NormalizeObservation<int>(new CountingEnv());

        var space = Assert.IsType<BoxSpace<float>>(env.ObservationSpace);
        Assert.Equal([3], space.Shape);
        Assert.False(space.IsBounded);
    }

    [Fact]
    public void Constructor_NegativeEpsilon_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NormalizeObservation<int>(new CountingEnv(), epsilon: -1));

        Assert.Contains("got -1", error.Message);
    }
}

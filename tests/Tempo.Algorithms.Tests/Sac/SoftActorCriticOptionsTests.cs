using Tempo.Algorithms.Sac;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>Both SACs' settings: each script's defaults, and one error form naming the key and the flag for the settings they share and for their own.</summary>
public sealed class SoftActorCriticOptionsTests
{
    public static TheoryData<SoftActorCriticOptions, string> OutOfRange => new()
    {
        { new SacOptions { Tau = 0 }, "tau (--tau) must be in (0, 1]; got 0." },
        { new DiscreteSacOptions { Tau = 0 }, "tau (--tau) must be in (0, 1]; got 0." },
        { new SacOptions { QLr = -1 }, "q-lr (--q-lr) must be a positive number; got -1." },
        { new DiscreteSacOptions { LearningStarts = -1 }, "learning-starts (--learning-starts) must be zero or more steps; got -1." },
        { new SacOptions { PolicyFrequency = 0 }, "policy-frequency (--policy-frequency) must be a positive number of steps; got 0." },
        { new DiscreteSacOptions { AdamEps = 0 }, "adam-eps (--adam-eps) must be a positive number; got 0." },
        { new DiscreteSacOptions { UpdateFrequency = 0 }, "update-frequency (--update-frequency) must be a positive number of steps; got 0." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void ASettingOutOfRangeIsNamedAsTheUserTypesIt(SoftActorCriticOptions options, string message)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachScriptKeepsItsOwnDefaults()
    {
        // sac_continuous_action.py's and sac_atari.py's argparse defaults.
        var sac = new SacOptions();
        var discrete = new DiscreteSacOptions();

        Assert.Equal((0.005, 256, 5_000, 3e-4, 1e-3, 1, 0.2, true), (sac.Tau, sac.BatchSize, sac.LearningStarts, sac.PolicyLr, sac.QLr, sac.TargetNetworkFrequency, sac.Alpha, sac.Autotune));
        Assert.Equal((1.0, 64, 20_000, 3e-4, 3e-4, 8_000, 0.2, true), (discrete.Tau, discrete.BatchSize, discrete.LearningStarts, discrete.PolicyLr, discrete.QLr, discrete.TargetNetworkFrequency, discrete.Alpha, discrete.Autotune));
        Assert.Equal(1_000_000, sac.BufferSize);
        Assert.Equal(1_000_000, discrete.BufferSize);
    }
}

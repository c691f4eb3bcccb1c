using Tempo.Core.Envs;
using Tempo.Core.Envs.Checking;
using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Envs.Checking;

public sealed class EnvCheckerTests
{
    private static readonly EnvCheck[] _allChecks = Enum.GetValues<EnvCheck>();

    [Fact]
    public void Check_CorrectDiscreteFloatEnv_PassesEveryCheck()
    {
        using var env = new CountingEnv(episodeLength: 7);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(_allChecks, report.Passed);
        Assert.Empty(report.Skipped);
        report.ThrowIfInvalid();
    }

    [Fact]
    public void Check_CorrectContinuousActionEnv_PassesEveryCheck()
    {
        using var env = new ContinuousActionEnv([-1f, 0f], [1f, 3f], recordHistory: false);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(_allChecks, report.Passed);
    }

    [Fact]
    public void Check_CorrectByteImageEnv_PassesEveryCheck()
    {
        using var env = new ByteImageEnv(height: 5, width: 4);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(_allChecks, report.Passed);
    }

    [Fact]
    public void Check_HandWrittenEnvWithoutFlaws_PassesEveryCheck()
    {
        using var env = new BrokenEnv(BrokenEnvFlaws.None);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(_allChecks, report.Passed);
    }

    [Theory]
    [InlineData(BrokenEnvFlaws.NullActionSpace, EnvCheck.Spaces)]
    [InlineData(BrokenEnvFlaws.ThrowsOnReset, EnvCheck.Reset)]
    [InlineData(BrokenEnvFlaws.ResetObservationOutsideSpace, EnvCheck.ResetObservationInSpace)]
    [InlineData(BrokenEnvFlaws.LeavesObservationElementUnwritten, EnvCheck.ResetObservationInSpace)]
    [InlineData(BrokenEnvFlaws.LeavesObservationElementUnwritten, EnvCheck.StepObservationInSpace)]
    [InlineData(BrokenEnvFlaws.ThrowsOnStep, EnvCheck.Step)]
    [InlineData(BrokenEnvFlaws.StepObservationOutsideSpace, EnvCheck.StepObservationInSpace)]
    [InlineData(BrokenEnvFlaws.NaNReward, EnvCheck.FiniteReward)]
    [InlineData(BrokenEnvFlaws.IgnoresSeed, EnvCheck.ResetDeterminism)]
    [InlineData(BrokenEnvFlaws.NondeterministicStep, EnvCheck.TrajectoryDeterminism)]
    [InlineData(BrokenEnvFlaws.AllowsStepAfterEnd, EnvCheck.StepAfterEpisodeEnd)]
    [InlineData(BrokenEnvFlaws.IgnoresObservationLength, EnvCheck.ObservationBufferLength)]
    [InlineData(BrokenEnvFlaws.IgnoresActionLength, EnvCheck.ActionLength)]
    [InlineData(BrokenEnvFlaws.AcceptsInvalidAction, EnvCheck.InvalidAction)]
    public void Check_BrokenEnv_ReportsTheBrokenRule(BrokenEnvFlaws flaw, EnvCheck expected)
    {
        using var env = new BrokenEnv(flaw);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.False(report.IsValid);
        Assert.True(report.Failed(expected), report.ToString());
        Assert.DoesNotContain(expected, report.Passed);
        var error = Assert.Throws<InvalidOperationException>(report.ThrowIfInvalid);
        Assert.Contains(expected.ToString(), error.Message);
    }

    [Theory]
    [InlineData(BrokenEnvFlaws.StepObservationOutsideSpace)]
    [InlineData(BrokenEnvFlaws.NaNReward)]
    [InlineData(BrokenEnvFlaws.AllowsStepAfterEnd)]
    [InlineData(BrokenEnvFlaws.AcceptsInvalidAction)]
    public void Check_SingleFlaw_FailsOnlyItsOwnCheck(BrokenEnvFlaws flaw)
    {
        using var env = new BrokenEnv(flaw);

        var report = EnvChecker.Check(env, seed: 11);

        Assert.Single(report.Problems);
        Assert.Equal(_allChecks.Length - 1, report.Passed.Count);
    }

    [Fact]
    public void Check_SpacesMissing_SkipsTheRestWithAReason()
    {
        using var env = new BrokenEnv(BrokenEnvFlaws.NullActionSpace);

        var report = EnvChecker.Check(env);

        Assert.Equal([EnvCheck.Spaces], report.Problems.Select(p => p.Check));
        Assert.Equal(_allChecks.Length - 1, report.Skipped.Count);
        Assert.All(report.Skipped, s => Assert.Contains("not run", s.Message));
    }

    [Fact]
    public void Check_EpisodeNeverEnds_SkipsStepAfterEndButIsValid()
    {
        using var env = new BrokenEnv(BrokenEnvFlaws.NeverEnds);

        var report = EnvChecker.Check(env, options: new EnvCheckOptions { RolloutSteps = 50 });

        Assert.True(report.IsValid, report.ToString());
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(EnvCheck.StepAfterEpisodeEnd, skipped.Check);
        Assert.Contains("50 steps", skipped.Message);
    }

    [Fact]
    public void Check_WrongExceptionType_NamesTheExceptionThrown()
    {
        using var env = new BrokenEnv(BrokenEnvFlaws.IgnoresActionLength);

        var report = EnvChecker.Check(env);

        var problem = Assert.Single(report.Problems);
        Assert.Contains("IndexOutOfRangeException", problem.Message);
    }

    [Fact]
    public void Check_TimeLimitWithoutInnerEnd_StepAfterTruncationThrows()
    {
        using var env = new TimeLimit<float, int>(new BrokenEnv(BrokenEnvFlaws.NeverEnds), maxEpisodeSteps: 20);

        var report = EnvChecker.Check(env);

        Assert.True(report.IsValid, report.ToString());
        Assert.Contains(EnvCheck.StepAfterEpisodeEnd, report.Passed);
    }

    [Fact]
    public void Check_NormalizersThatKeepUpdating_AreNotReplayDeterministic()
    {
        using var observations = new NormalizeObservation<int>(new CountingEnv());
        using var rewards = new NormalizeReward<float, int>(new CountingEnv());

        Assert.True(EnvChecker.Check(observations).Failed(EnvCheck.ResetDeterminism));
        Assert.True(EnvChecker.Check(rewards).Failed(EnvCheck.TrajectoryDeterminism));
    }

    [Fact]
    public void Check_InvalidArguments_Throw()
    {
        using var env = new CountingEnv();

        Assert.Throws<ArgumentNullException>(() => EnvChecker.Check<float, int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvChecker.Check(env, options: new EnvCheckOptions { RolloutSteps = 0 }));
    }

    [Fact]
    public void Check_LeavesEnvUsable()
    {
        using var env = new CountingEnv();
        EnvChecker.Check(env);
        var observation = new float[3];

        env.Reset(observation, seed: 1);

        Assert.False(env.Step([0], observation).IsDone);
        Assert.IsAssignableFrom<IEnv>(env);
    }
}

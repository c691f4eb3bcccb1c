using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;

namespace Tempo.Cli.Tests.Commands;

/// <summary><c>--env-assembly</c>: envs from a user's assembly train and evaluate with the same commands as the built-in ones.</summary>
public sealed class EnvAssemblyTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    // This test assembly is the user's assembly: it holds a public IEnvRegistration.
    private static string UserAssembly => typeof(UserEnvs).Assembly.Location;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrainThenEval_EnvFromAUserAssembly_TrainsAndEvaluatesIt()
    {
        var runDir = _directory.File("user");

        var train = CliRun.Of("train", "--env-assembly", UserAssembly, "--env", UserEnvs.Id, "--total-timesteps", "1024", "--run-dir", runDir, "--plain");
        var eval = CliRun.Of("eval", "--env-assembly", UserAssembly, "--checkpoint", runDir, "--episodes", "2");

        Assert.Equal(0, train.ExitCode);
        Assert.Empty(train.Error);
        Assert.Equal(0, eval.ExitCode);
        Assert.Contains("mean return over 2 episodes", eval.Output);
    }

    [Fact]
    public void Eval_UserEnvWithoutItsAssembly_SaysWhichEnvIsMissingAndHowToBringIt()
    {
        var runDir = _directory.File("user");
        Assert.Equal(0, CliRun.Of("train", "--env-assembly", UserAssembly, "--env", UserEnvs.Id, "--total-timesteps", "512", "--run-dir", runDir, "--plain").ExitCode);

        var eval = CliRun.Of("eval", "--checkpoint", runDir);

        Assert.Equal(2, eval.ExitCode);
        Assert.Contains($"was trained on {UserEnvs.Id}, which is not registered here", eval.Error);
        Assert.Contains("--env-assembly", eval.Error);
    }

    [Fact]
    public void Envs_WithAUserAssembly_ListsItsEnvs()
    {
        var run = CliRun.Of("envs", "--env-assembly", UserAssembly);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{UserEnvs.Id} (time limit: 20)", run.Output);
    }

    [Fact]
    public void Train_EnvAssemblyThatDoesNotExist_FailsNamingIt()
    {
        var run = CliRun.Of("train", "--env-assembly", _directory.File("nope.dll"), "--run-dir", _directory.File("run"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.dll does not exist", run.Error);
    }

    [Fact]
    public void Train_EnvAssemblyThatIsNotDotNet_FailsSayingSo()
    {
        var path = _directory.File("garbage.dll");
        File.WriteAllText(path, "not an assembly");

        var run = CliRun.Of("train", "--env-assembly", path, "--run-dir", _directory.File("run"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a .NET assembly", run.Error);
    }
}

/// <summary>A user's env registration, found by <c>--env-assembly</c> in this test assembly.</summary>
public sealed class UserEnvs : IEnvRegistration
{
    public const string Id = "TestUserCoin-v0";

    public void Register(EnvRegistry registry) => registry.Register(EnvSpec.Create(Id, () => new Coin(), maxEpisodeSteps: 20));

    /// <summary>Observe a coin (0 or 1) and call it: +1 when the call matches.</summary>
    private sealed class Coin() : Env<float, int>(new BoxSpace<float>(0f, 1f, 1), new DiscreteSpace(2))
    {
        private int _side;

        protected override void ResetCore(Span<float> observation) => observation[0] = _side = Random.Next(2);

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
        {
            var reward = action[0] == _side ? 1f : 0f;
            observation[0] = _side = Random.Next(2);
            return new StepResult(reward, false, false);
        }
    }
}

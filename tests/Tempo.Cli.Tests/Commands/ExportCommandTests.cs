namespace Tempo.Cli.Tests.Commands;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Export_TrainedCartPoleRun_WritesAnOnnxFileAndListsItsInputsAndOutputs()
    {
        var runDir = _directory.File("run");
        Assert.Equal(0, CliRun.Of("train", "--env", "CartPole-v1", "--total-timesteps", "256", "--num-envs", "1", "--num-steps", "128", "--run-dir", runDir, "--plain").ExitCode);
        var onnx = _directory.File("policy.onnx");

        var run = CliRun.Of("export", "--checkpoint", runDir, "--onnx", onnx);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.True(new FileInfo(onnx).Length > 0);
        Assert.Contains("inputs:  obs: float[batch, 4]", run.Output, StringComparison.Ordinal);
        Assert.Contains("outputs: logits: float[batch, 2]; value: float[batch, 1]", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Catch-v0", "inputs:  obs: uint8[batch, 1, 84, 84]")]
    [InlineData("CatchFeatures-v0", "inputs:  features: float[batch, 3]; frames: uint8[batch, 1, 84, 84]")]
    public void Export_PixelAndDictRuns_NameTheirInputs(string env, string inputs)
    {
        var runDir = _directory.File(env);
        var train = CliRun.Of(
            "train", "--env", env, "--num-envs", "1", "--num-steps", "16", "--num-minibatches", "1", "--update-epochs", "1", "--hidden-sizes", "32",
            "--total-timesteps", "16", "--run-dir", runDir, "--plain");
        Assert.Equal(0, train.ExitCode);

        var run = CliRun.Of("export", "--checkpoint", runDir, "--onnx", _directory.File($"{env}.onnx"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(inputs, run.Output, StringComparison.Ordinal);
        Assert.Contains("outputs: logits: float[batch, 3]; value: float[batch, 1]", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_IntoAFolderThatDoesNotExist_SaysWhichFolder()
    {
        var runDir = _directory.File("run");
        Assert.Equal(0, CliRun.Of("train", "--total-timesteps", "128", "--num-steps", "128", "--num-envs", "1", "--run-dir", runDir, "--plain").ExitCode);
        var missing = _directory.File("missing");

        var run = CliRun.Of("export", "--checkpoint", runDir, "--onnx", Path.Combine(missing, "policy.onnx"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --onnx {Path.Combine(missing, "policy.onnx")}: the folder {missing} does not exist.", run.Error.Trim());
    }

    [Fact]
    public void Export_NoCheckpoint_IsOneErrorLine()
    {
        var run = CliRun.Of("export", "--checkpoint", _directory.File("nothing"), "--onnx", _directory.File("policy.onnx"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }
}

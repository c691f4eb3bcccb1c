using System.CommandLine;
using System.Text.Json.Nodes;
using Tempo.Cli.Commands;
using Tempo.Core.Envs.Registry;

namespace Tempo.Cli.Tests.Commands;

public sealed class TrainBoolFlagTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tempo-train-tests-" + Guid.NewGuid().ToString("N"));

    public TrainBoolFlagTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Invoke_BoolFlagsAbsent_KeepsDefaults()
    {
        var config = Train("--env", "CartPole-v1", "--total-timesteps", "512");

        Assert.True(config["anneal-lr"]!.GetValue<bool>());
        Assert.True(config["norm-adv"]!.GetValue<bool>());
        Assert.True(config["clip-vloss"]!.GetValue<bool>());
        Assert.False(config["anneal-clip-coef"]!.GetValue<bool>());
        Assert.True(config["pause"]!.GetValue<bool>());
    }

    [Fact]
    public void Invoke_BoolFlagsAbsent_KeepsConfigFileValues()
    {
        var file = Path.Combine(_folder, "preset.json");
        File.WriteAllText(file, """{ "anneal-lr": false, "clip-vloss": false, "anneal-clip-coef": true, "total-timesteps": 512 }""");

        var config = Train("--config", file);

        Assert.False(config["anneal-lr"]!.GetValue<bool>());
        Assert.False(config["clip-vloss"]!.GetValue<bool>());
        Assert.True(config["anneal-clip-coef"]!.GetValue<bool>());
        Assert.True(config["norm-adv"]!.GetValue<bool>());
    }

    [Fact]
    public void Invoke_BoolFlagGiven_OverridesConfigFile()
    {
        var file = Path.Combine(_folder, "preset.json");
        File.WriteAllText(file, """{ "anneal-lr": true, "norm-adv": false, "total-timesteps": 512 }""");

        var config = Train("--config", file, "--anneal-lr", "false", "--norm-adv");

        Assert.False(config["anneal-lr"]!.GetValue<bool>());
        Assert.True(config["norm-adv"]!.GetValue<bool>());
    }

    /// <summary>Runs <c>tempo train</c> for one rollout and returns the settings it recorded in config.json.</summary>
    private JsonObject Train(params string[] arguments)
    {
        var runDir = Path.Combine(_folder, "run");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { TrainCommand.Create(EnvRegistry.CreateDefault(), output, error, TimeProvider.System, redrawProgress: false) };

        var exitCode = root.Parse(["train", .. arguments, "--run-dir", runDir, "--plain"]).Invoke();

        Assert.True(exitCode == 0, $"tempo train failed with exit code {exitCode}: {error}");
        return JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")))!.AsObject();
    }
}

using System.Text.Json.Nodes;
using Tempo.Cli.Commands;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Cli.Tests.Commands;

/// <summary>Every config key is a flag of <c>tempo train</c>, and every flag is a config key: the two spellings of one setting cannot drift apart.</summary>
public sealed class TrainFlagsTests
{
    [Fact]
    public void Keys_AreExactlyTheConfigKeysOfEveryAlgorithm()
    {
        var registry = EnvRegistry.CreateDefault();
        var configKeys = new HashSet<string>(StringComparer.Ordinal) { "tick-rate" };
        foreach (var algorithm in ActorCriticRecipes.AlgorithmNames)
        {
            // SAC trains continuous actions only; every other algorithm takes CartPole.
            var env = algorithm == "sac" ? "Pendulum-v1" : "CartPole-v1";
            var settings = ActorCriticRecipes.Defaults(registry.GetSpec(env), algorithm);
            foreach (var (key, _) in JsonNode.Parse(RunConfig.Serialize(settings))!.AsObject())
            {
                configKeys.Add(key);
            }
        }

        // env-options are records of the env's own; the CLI sets them through tick-rate.
        configKeys.Remove("env-options");

        Assert.Equal(configKeys.Order(), new TrainFlags().Keys.Order());
    }
}

using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs.Live;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Tests.Runs;

/// <summary>Flat configs: layers over the recipe's defaults, one home per key, errors that name the key and the layer.</summary>
public sealed class RunConfigTests
{
    private static readonly EnvRegistry _registry = EnvRegistry.CreateDefault();

    [Fact]
    public void Resolve_NoLayers_IsCartPoleWithPpoPyDefaults()
    {
        var settings = RunConfig.Resolve(_registry, []);

        Assert.Equal("CartPole-v1", settings.Env);
        Assert.Equal(new PpoOptions(), settings.Algorithm);
        Assert.Equal(new CollectionOptions(), settings.Collection);
        Assert.Equal([64, 64], settings.Model.HiddenSizes);
    }

    [Fact]
    public void Serialize_ThenResolve_GivesTheSameSettings()
    {
        var settings = ActorCriticRecipes.Defaults(_registry.GetSpec("LiveCartPole-v1"), "appo") with
        {
            EnvOptions = new LiveCartPoleOptions { Ticks = new LiveTickOptions { TickRateHertz = 200 } },
            Schedule = ScheduleKind.Asynchronous,
            Seed = 7,
            TargetReturn = 475,
            Algorithm = new AppoOptions { RhoBar = 0.9, CBar = 0.5, NumMinibatches = 1 },
            Collection = new CollectionOptions { NumEnvs = 1, NumSteps = 32, TotalTimesteps = 200_000 },
            Async = new AsynchronousOptions { NumActors = 4, QueueCapacity = 8, MaxPolicyLag = 3 },
            Model = new ModelOptions { HiddenSizes = [32] },
        };

        var back = RunConfig.Resolve(_registry, [ConfigLayer.Parse(RunConfig.Serialize(settings), "test")]);

        Assert.Equal(settings.Algorithm, back.Algorithm);
        Assert.Equal(settings.Collection, back.Collection);
        Assert.Equal(settings.Async, back.Async);
        Assert.Equal([32], back.Model.HiddenSizes);
        Assert.Equal((LiveCartPoleOptions)settings.EnvOptions, (LiveCartPoleOptions?)back.EnvOptions);
        Assert.Equal(settings with { Algorithm = back.Algorithm, Collection = back.Collection, Async = back.Async, Model = back.Model, EnvOptions = back.EnvOptions }, back);
    }

    [Fact]
    public void Resolve_LaterLayerWins_AndRecipeDefaultsFollowTheEnvOfAnyLayer()
    {
        var settings = RunConfig.Resolve(
            _registry,
            [Layer("""{ "num-envs": 2, "learning-rate": 0.01 }"""), Layer("""{ "env": "Pendulum-v1", "num-envs": 3 }""")]);

        // ppo_continuous_action.py's defaults apply to Pendulum, under the keys the layers set.
        Assert.Equal(3, settings.Collection.NumEnvs);
        Assert.Equal(2048, settings.Collection.NumSteps);
        Assert.Equal(new PpoOptions { LearningRate = 0.01, NumMinibatches = 32, UpdateEpochs = 10, EntCoef = 0 }, settings.Algorithm);
    }

    [Fact]
    public void Resolve_KeyOfAnotherAlgorithm_FailsNamingWhoseSettingItIs()
    {
        var error = Assert.Throws<InvalidDataException>(() => RunConfig.Resolve(_registry, [Layer("""{ "algo": "impala", "gae-lambda": 0.9 }""")]));

        Assert.Equal("layer 1, line 1, column 21: 'gae-lambda' is a setting of ppo; this run trains impala, which has no such setting.", error.Message);
    }

    [Fact]
    public void Resolve_LayerNamingItsAlgorithmThenAnotherAlgorithm_DropsTheFirstAlgorithmsKeys()
    {
        // A resumed run's stored config names its algorithm; --algo on top switches (and the resume is refused later).
        var settings = RunConfig.Resolve(_registry, [Layer("""{ "algo": "ppo", "gae-lambda": 0.9 }"""), Layer("""{ "algo": "impala" }""")]);

        Assert.IsType<ImpalaOptions>(settings.Algorithm);
    }

    [Theory]
    [InlineData("""{ "seed": "one" }""", "seed", "a whole number", "\"one\"")]
    [InlineData("""{ "num-envs": "four" }""", "num-envs", "a whole number", "\"four\"")]
    [InlineData("""{ "num-envs": 1.5 }""", "num-envs", "a whole number", "1.5")]
    [InlineData("""{ "learning-rate": true }""", "learning-rate", "a number", "true")]
    [InlineData("""{ "hidden-sizes": 64 }""", "hidden-sizes", "a list of whole numbers", "64")]
    [InlineData("""{ "norm-adv": 3 }""", "norm-adv", "true or false", "3")]
    [InlineData("""{ "run-dir": 5 }""", "run-dir", "a string", "5")]
    [InlineData("""{ "schedule": "sometimes" }""", "schedule", "\"sync\" or \"async\"", "\"sometimes\"")]
    [InlineData("""{ "schedule": 1 }""", "schedule", "\"sync\" or \"async\"", "1")]
    public void Resolve_ValueOfTheWrongType_FailsNamingTheKeyLayerPositionAndKindInJsonWords(string json, string key, string expected, string got)
    {
        var error = Assert.Throws<InvalidDataException>(() => RunConfig.Resolve(_registry, [Layer(json)]));

        // Column 3: the key's opening quote, after "{ ".
        Assert.Equal($"layer 1, line 1, column 3: '{key}' must be {expected}; got {got}.", error.Message);
    }

    [Fact]
    public void Resolve_WrongTypeOnALaterLine_NamesThatLineAndColumn()
    {
        var json = "{\n  \"seed\": 1,\n\n    \"total-timesteps\": \"lots\"\n}";

        var error = Assert.Throws<InvalidDataException>(() => RunConfig.Resolve(_registry, [Layer(json)]));

        Assert.Equal("layer 1, line 4, column 5: 'total-timesteps' must be a whole number; got \"lots\".", error.Message);
    }

    [Fact]
    public void Resolve_UnknownKey_FailsListingTheKnownOnes()
    {
        var error = Assert.Throws<InvalidDataException>(() => RunConfig.Resolve(_registry, [Layer("""{ "num-env": 2 }""")]));

        Assert.StartsWith("layer 1, line 1, column 3: unknown key 'num-env'. Known keys: env, ", error.Message);
        Assert.Contains("num-envs", error.Message);
    }

    [Fact]
    public void Resolve_TickRate_SetsTheLiveEnvsClock()
    {
        var settings = RunConfig.Resolve(_registry, [Layer("""{ "env": "LiveCartPole-v1", "tick-rate": 200 }""")]);

        Assert.Equal(200, Assert.IsType<LiveCartPoleOptions>(settings.EnvOptions).Ticks.TickRateHertz);
    }

    [Fact]
    public void Parse_NotJson_SaysWhereWithLinesCountedFromOne()
    {
        var error = Assert.Throws<InvalidDataException>(() => ConfigLayer.Parse("{ \"seed\": 1, }x", "config.json"));

        Assert.StartsWith("config.json is not valid JSON at line 1, column ", error.Message);
    }

    [Fact]
    public void ReadFile_Folder_SaysItIsAFolder()
    {
        var error = Assert.Throws<InvalidDataException>(() => ConfigLayer.ReadFile(Path.GetTempPath()));

        Assert.Contains("is a folder", error.Message);
    }

    private static ConfigLayer Layer(string json) => ConfigLayer.Parse(json, "layer 1");
}

using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Envs.Registry;

public sealed class EnvRegistryTests
{
    [Fact]
    public void CreateDefault_RegistersTheClassicEnvs_WithGymnasiumsTimeLimits()
    {
        var registry = EnvRegistry.CreateDefault();

        Assert.Equal(["Acrobot-v1", "CartPole-v1", "Catch-v0", "CatchFeatures-v0", "LiveCartPole-v1", "LivePendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1"], registry.Ids);
        Assert.Equal(500, registry.GetSpec("CartPole-v1").MaxEpisodeSteps);
        Assert.Equal(500, registry.GetSpec("Acrobot-v1").MaxEpisodeSteps);
        Assert.Equal(200, registry.GetSpec("MountainCar-v0").MaxEpisodeSteps);
        Assert.Equal(999, registry.GetSpec("MountainCarContinuous-v0").MaxEpisodeSteps);
        Assert.Equal(200, registry.GetSpec("Pendulum-v1").MaxEpisodeSteps);
        Assert.Null(registry.GetSpec("Catch-v0").MaxEpisodeSteps);
    }

    [Theory]
    [InlineData("CartPole-v1", typeof(int), typeof(CartPoleOptions), typeof(CartPole))]
    [InlineData("Acrobot-v1", typeof(int), typeof(AcrobotOptions), typeof(Acrobot))]
    [InlineData("MountainCar-v0", typeof(int), typeof(MountainCarOptions), typeof(MountainCar))]
    [InlineData("MountainCarContinuous-v0", typeof(float), typeof(MountainCarContinuousOptions), typeof(MountainCarContinuous))]
    [InlineData("Pendulum-v1", typeof(float), typeof(PendulumOptions), typeof(Pendulum))]
    public void Make_ClassicId_ReturnsTheEnvInsideItsTimeLimit(string id, Type actionType, Type optionsType, Type envType)
    {
        var registry = EnvRegistry.CreateDefault();
        var spec = registry.GetSpec(id);
        Assert.Equal(typeof(float), spec.ObservationElementType);
        Assert.Equal(actionType, spec.ActionElementType);
        Assert.Equal(optionsType, spec.OptionsType);

        using var env = registry.Make(id);

        var limit = env is TimeLimit<float, int> discrete ? discrete.MaxEpisodeSteps : Assert.IsType<TimeLimit<float, float>>(env).MaxEpisodeSteps;
        Assert.Equal(spec.MaxEpisodeSteps, limit);
        Assert.IsType(envType, env.Unwrapped());
        Assert.Same(env.Unwrapped(), ((IEnvWrapper)env).Inner);
    }

    [Fact]
    public void Make_Typed_ReturnsTimeLimitThatTruncatesAtTheSpecsLimit()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, int>("MountainCar-v0");
        var limit = Assert.IsType<TimeLimit<float, int>>(env);
        Assert.Equal(200, limit.MaxEpisodeSteps);
    }

    [Fact]
    public void Make_EveryCall_ReturnsAFreshEnv()
    {
        var registry = EnvRegistry.CreateDefault();
        using var first = registry.Make("CartPole-v1");
        using var second = registry.Make("CartPole-v1");
        Assert.NotSame(first.Unwrapped(), second.Unwrapped());
    }

    [Fact]
    public void Make_Typed_WrongElementTypes_ThrowsNamingTheActualTypes()
    {
        var registry = EnvRegistry.CreateDefault();

        var error = Assert.Throws<ArgumentException>(() => registry.Make<float, float>("CartPole-v1"));
        Assert.Contains("CartPole-v1", error.Message);
        Assert.Contains("IEnv<float, int>", error.Message);
        Assert.Contains("IEnv<float, float>", error.Message);

        var observationMismatch = Assert.Throws<ArgumentException>(() => registry.Make<byte, float>("Pendulum-v1"));
        Assert.Contains("IEnv<float, float>", observationMismatch.Message);
        Assert.Contains("IEnv<byte, float>", observationMismatch.Message);
    }

    [Theory]
    [InlineData("CartPole-v0", "CartPole-v1")]
    [InlineData("cartpole-v1", "CartPole-v1")]
    [InlineData("CartPole", "CartPole-v1")]
    [InlineData("Pendulm-v1", "Pendulum-v1")]
    [InlineData("MountainCarContinuous-v1", "MountainCarContinuous-v0")]
    public void Make_NearMissId_SuggestsTheClosestIdAndListsAll(string id, string suggestion)
    {
        var error = Assert.Throws<ArgumentException>(() => EnvRegistry.CreateDefault().Make(id));

        Assert.Equal("id", error.ParamName);
        Assert.Contains($"'{id}'", error.Message);
        Assert.Contains($"Did you mean '{suggestion}'?", error.Message);
        Assert.Contains("Acrobot-v1, CartPole-v1, Catch-v0, CatchFeatures-v0, LiveCartPole-v1, LivePendulum-v1, MountainCar-v0, MountainCarContinuous-v0, Pendulum-v1", error.Message);
    }

    [Fact]
    public void Make_UnrelatedId_ListsKnownIdsWithoutASuggestion()
    {
        var error = Assert.Throws<ArgumentException>(() => EnvRegistry.CreateDefault().Make("Breakout-v5"));

        Assert.DoesNotContain("Did you mean", error.Message);
        Assert.Contains("Known ids: Acrobot-v1, CartPole-v1", error.Message);
    }

    [Fact]
    public void Make_EmptyRegistry_SaysNoIdsAreKnown()
    {
        var error = Assert.Throws<ArgumentException>(() => new EnvRegistry().Make("CartPole-v1"));
        Assert.Contains("Known ids: none", error.Message);
    }

    [Fact]
    public void Make_OptionsOfAnotherEnv_ThrowsNamingBothTypes()
    {
        var error = Assert.Throws<ArgumentException>(() => EnvRegistry.CreateDefault().Make("CartPole-v1", new PendulumOptions()));

        Assert.Equal("options", error.ParamName);
        Assert.Contains(nameof(CartPoleOptions), error.Message);
        Assert.Contains(nameof(PendulumOptions), error.Message);
    }

    [Fact]
    public void Make_WithOptions_PassesThemToTheEnv()
    {
        var options = new PendulumOptions { Gravity = 9.81 };
        using var env = EnvRegistry.CreateDefault().Make<float, float>("Pendulum-v1", options);

        Assert.Same(options, ((Pendulum)env.Unwrapped()).Options);
    }

    [Fact]
    public void Make_WithoutOptions_UsesTheDefaults()
    {
        using var env = EnvRegistry.CreateDefault().Make<float, int>("CartPole-v1");
        Assert.Equal(new CartPoleOptions(), ((CartPole)env.Unwrapped()).Options);
    }

    [Fact]
    public void Make_InvalidOptions_ThrowsTheEnvsValidationError()
    {
        var error = Assert.ThrowsAny<ArgumentException>(
            () => EnvRegistry.CreateDefault().Make("CartPole-v1", new CartPoleOptions { PoleMass = -1 }));
        Assert.Equal(nameof(CartPoleOptions.PoleMass), error.ParamName);
    }

    [Fact]
    public void Register_DuplicateId_Throws()
    {
        var registry = EnvRegistry.CreateDefault();
        var duplicate = EnvSpec.Create<float, int, CartPoleOptions>("CartPole-v1", options => new CartPole(options), 200);

        var error = Assert.Throws<ArgumentException>(() => registry.Register(duplicate));
        Assert.Contains("'CartPole-v1' is already registered", error.Message);
        Assert.Equal(500, registry.GetSpec("CartPole-v1").MaxEpisodeSteps);
    }

    [Fact]
    public void Register_UserSpec_IsMadeWithItsTimeLimit()
    {
        var registry = EnvRegistry.CreateDefault();
        registry.Register(EnvSpec.Create<float, int>("Counting-v0", () => new CountingEnv(), maxEpisodeSteps: 3));

        using var env = registry.Make<float, int>("Counting-v0");
        var observation = new float[1];
        env.Reset(observation, 0);
        Assert.False(env.Step([1], observation).Truncated);
        Assert.False(env.Step([1], observation).Truncated);
        var last = env.Step([1], observation);

        Assert.True(last.Truncated);
        Assert.Equal(3f, observation[0]);
        Assert.Contains("Counting-v0", registry.Ids);
        Assert.False(EnvRegistry.CreateDefault().Contains("Counting-v0"));
    }

    [Fact]
    public void Make_SpecWithoutTimeLimit_ReturnsTheBareEnv()
    {
        var registry = new EnvRegistry();
        registry.Register(EnvSpec.Create<float, int>("Counting-v0", () => new CountingEnv(), maxEpisodeSteps: null));

        using var env = registry.Make("Counting-v0");

        Assert.IsType<CountingEnv>(env);
    }

    [Fact]
    public void Make_OptionsForAnEnvWithoutOptions_Throws()
    {
        var registry = new EnvRegistry();
        registry.Register(EnvSpec.Create<float, int>("Counting-v0", () => new CountingEnv(), maxEpisodeSteps: 10));

        var error = Assert.Throws<ArgumentException>(() => registry.Make("Counting-v0", new CartPoleOptions()));
        Assert.Contains("takes no options", error.Message);
    }

    [Fact]
    public void Contains_And_GetSpec_AreCaseSensitive()
    {
        var registry = EnvRegistry.CreateDefault();
        Assert.True(registry.Contains("CartPole-v1"));
        Assert.False(registry.Contains("cartpole-v1"));
        Assert.Throws<ArgumentException>(() => registry.GetSpec("cartpole-v1"));
    }
}

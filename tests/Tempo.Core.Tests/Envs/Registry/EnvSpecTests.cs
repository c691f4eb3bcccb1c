using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;

namespace Tempo.Core.Tests.Envs.Registry;

public sealed class EnvSpecTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" CartPole-v1")]
    public void Create_BlankOrPaddedId_Throws(string id) =>
        Assert.ThrowsAny<ArgumentException>(() => EnvSpec.Create<float, int>(id, () => new CountingEnv(), 10));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Create_NonPositiveTimeLimit_Throws(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvSpec.Create<float, int>("Counting-v0", () => new CountingEnv(), limit));

    [Fact]
    public void Create_NullFactory_Throws() =>
        Assert.Throws<ArgumentNullException>(() => EnvSpec.Create<float, int, CartPoleOptions>("CartPole-v1", null!, 500));

    [Fact]
    public void ToString_DescribesTypesOptionsAndLimit()
    {
        var spec = EnvSpec.Create<float, float, PendulumOptions>("Pendulum-v1", options => new Pendulum(options), 200);
        Assert.Equal("Pendulum-v1: IEnv<float, float>, options PendulumOptions, 200 steps", spec.ToString());

        var bare = EnvSpec.Create<float, int>("Counting-v0", () => new CountingEnv(), null);
        Assert.Equal("Counting-v0: IEnv<float, int>, no options, no time limit", bare.ToString());
    }

    [Fact]
    public void Make_FactoryReturningNull_ThrowsAClearError()
    {
        var registry = new EnvRegistry();
        registry.Register(EnvSpec.Create<float, int>("Broken-v0", () => null!, 10));

        var error = Assert.Throws<InvalidOperationException>(() => registry.Make("Broken-v0"));
        Assert.Contains("null", error.Message);
    }
}

using Tempo.Core.Configuration;

namespace Tempo.Core.Tests.Configuration;

public sealed class OptionErrorTests
{
    [Theory]
    [InlineData("NumMinibatches", "num-minibatches")]
    [InlineData("GaeLambda", "gae-lambda")]
    [InlineData("TotalTimesteps", "total-timesteps")]
    [InlineData("Gamma", "gamma")]
    [InlineData("QLr", "q-lr")]
    public void KeyOf_Property_IsItsKebabCaseConfigKey(string property, string key) =>
        Assert.Equal(key, OptionError.KeyOf(property));

    [Fact]
    public void Invalid_NamesKeyFlagRuleAndValueInOneLine()
    {
        var error = OptionError.Invalid("NumMinibatches", 3, "must divide the batch size 512");

        Assert.StartsWith("num-minibatches (--num-minibatches) must divide the batch size 512; got 3.", error.Message, StringComparison.Ordinal);
        Assert.Equal("NumMinibatches", error.ParamName);
    }

    [Fact]
    public void Require_Holds_DoesNotThrow() => OptionError.Require(true, "Gamma", 0.99, "must lie in [0, 1]");

    [Fact]
    public void Require_Fails_Throws() =>
        Assert.Throws<ArgumentException>(() => OptionError.Require(false, "Gamma", 2.0, "must lie in [0, 1]"));
}

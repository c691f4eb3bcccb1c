using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Transport;

public sealed class RunIdTests
{
    [Fact]
    public void ToStringThenParse_RoundTrips()
    {
        var run = new RunId(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));

        Assert.Equal("00112233445566778899aabbccddeeff", run.ToString());
        Assert.Equal(run, RunId.Parse(run.ToString()));
    }

    [Fact]
    public void NewUnique_TwoCalls_DifferAndAreNotEmpty()
    {
        var first = RunId.NewUnique();
        var second = RunId.NewUnique();

        Assert.NotEqual(first, second);
        Assert.False(first.IsEmpty);
        Assert.True(default(RunId).IsEmpty);
    }
}

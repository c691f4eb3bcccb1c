namespace Tempo.Redis.Tests;

public class RedisUrlTests
{
    [Fact]
    public void ParsesHostPortDatabaseUserAndPassword()
    {
        var url = RedisUrl.Parse("redis://trainer:s%40cret@cache.local:6380/3");
        Assert.Equal(new RedisUrl("cache.local", 6380, 3, "trainer", "s@cret", Tls: false), url);
        var options = url.ToConfigurationOptions();
        Assert.Equal("trainer", options.User);
        Assert.Equal("s@cret", options.Password);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void DefaultsPortAndDatabaseAndReadsTls()
    {
        var url = RedisUrl.Parse("rediss://cache.local");
        Assert.Equal(new RedisUrl("cache.local", 6379, 0, null, null, Tls: true), url);
        Assert.True(url.ToConfigurationOptions().Ssl);
        Assert.Equal("cache.local", url.ToConfigurationOptions().SslHost);
    }

    [Fact]
    public void PasswordAloneIsAPassword() => Assert.Equal("pw", RedisUrl.Parse("redis://pw@h:1").Password);

    [Theory]
    [InlineData("http://host:6379")]
    [InlineData("host:6379")]
    [InlineData("redis://host:6379/db")]
    [InlineData("redis://host:6379/0?ssl=true")]
    public void RefusesWhatIsNotARedisUrl(string text)
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse(text));
        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeverShowsThePassword()
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse("redis://u:topsecret@host:6379/x"));
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", RedisUrl.Parse("redis://u:topsecret@host:6379").ToString(), StringComparison.Ordinal);
    }
}

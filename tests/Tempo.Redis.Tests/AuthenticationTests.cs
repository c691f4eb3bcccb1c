using System.Globalization;
using StackExchange.Redis;

namespace Tempo.Redis.Tests;

/// <summary>Passwords and ACL users from the URL reach AUTH; a wrong one is one clear error that never shows the password.</summary>
public sealed class AuthenticationTests
{
    [SkippableFact]
    public void AnAclUserFromTheUrlIsAuthenticatedAndAWrongPasswordIsRefused()
    {
        using var server = RedisServer.Start(persistent: false, "--requirepass", "admin-pw");
        using (var admin = ConnectionMultiplexer.Connect(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.Port},password=admin-pw")))
        {
            admin.GetDatabase().Execute("ACL", "SETUSER", "trainer", "on", ">trainer-pw", "~tempo:*", "&*", "+@all");
        }

        using (var fleet = RedisFleet.Connect(RedisUrl.Parse(string.Create(CultureInfo.InvariantCulture, $"redis://trainer:trainer-pw@127.0.0.1:{server.Port}")), "acl"))
        {
            Assert.Empty(fleet.ReadStatus().Members);
        }

        // Every attempt is refused however long it waits, so a short wait only spares the suite the default's.
        var error = Assert.Throws<InvalidOperationException>(() =>
            RedisFleet.Connect(RedisUrl.Parse(string.Create(CultureInfo.InvariantCulture, $"redis://trainer:wrong-pw@127.0.0.1:{server.Port}")), "acl", new RedisFleetOptions { ConnectWait = TimeSpan.FromSeconds(2) }));
        Assert.StartsWith("Cannot reach Redis at redis://trainer:***@127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw", error.Message, StringComparison.Ordinal);
    }
}

using System.Globalization;
using StackExchange.Redis;

namespace Tempo.Redis;

/// <summary>Where a fleet's Redis is: <c>redis://[user:password@]host[:port][/db]</c>, or <c>rediss://</c> for TLS.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port (6379 unless given).</param>
/// <param name="Database">Database number (0 unless given).</param>
/// <param name="User">ACL user name, or <see langword="null"/> for the default user.</param>
/// <param name="Password">Password, or <see langword="null"/> for none.</param>
/// <param name="Tls">Whether the connection uses TLS (<c>rediss://</c>).</param>
public sealed record RedisUrl(string Host, int Port, int Database, string? User, string? Password, bool Tls)
{
    /// <summary>Parses a <c>redis://</c> or <c>rediss://</c> URL.</summary>
    /// <exception cref="FormatException">The text is not such a URL; the message names the problem (never the password).</exception>
    public static RedisUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            throw new FormatException($"--redis must look like redis://[user:password@]host:port[/db] or rediss://… (TLS); got '{Redact(text)}'.");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"The Redis URL '{Redact(text)}' names no host.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new FormatException($"The Redis URL '{Redact(text)}' has a query or fragment; only [user:password@]host:port[/db] is understood.");
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15_999))
        {
            throw new FormatException($"The Redis URL '{Redact(text)}' names database '{path}'; a database is a number ≥ 0.");
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // redis://secret@host is the password alone, as redis-cli reads it.
                password = Uri.UnescapeDataString(uri.UserInfo);
            }
            else
            {
                user = colon > 0 ? Uri.UnescapeDataString(uri.UserInfo[..colon]) : null;
                password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        return new RedisUrl(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port, database, user, password, uri.Scheme == "rediss");
    }

    /// <summary>The client's options for this URL: reconnect forever with exponential backoff, fail fast while disconnected (callers retry and buffer themselves).</summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { Host, Port } },
            DefaultDatabase = Database,
            User = User,
            Password = Password,
            Ssl = Tls,
            SslHost = Tls ? Host : null,
            AbortOnConnectFail = false,
            ConnectRetry = 3,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
            AsyncTimeout = 2000,
            KeepAlive = 5,
            ReconnectRetryPolicy = new ExponentialRetry(100, 2000),
            BacklogPolicy = BacklogPolicy.FailFast,
            ClientName = "tempo",
        };
        return options;
    }

    /// <inheritdoc/>
    /// <remarks>The password is never shown.</remarks>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "rediss" : "redis")}://{(User is null && Password is null ? string.Empty : $"{User}:***@")}{Host}:{Port}/{Database}");

    private static string Redact(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme >= 0 && scheme < at ? string.Concat(text.AsSpan(0, scheme + 3), "***", text.AsSpan(at)) : text;
    }
}

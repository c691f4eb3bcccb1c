using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tempo.Tests.Shared;

namespace Tempo.Redis.Tests;

/// <summary>A redis-server of the test's own on a free loopback port, stopped by its pid (also when the test fails).</summary>
/// <remarks>Without persistence unless asked: a restart then starts empty, as a crashed cache would.</remarks>
internal sealed class RedisServer : IDisposable
{
    private readonly string _program;
    private readonly string _directory;
    private readonly bool _persistent;
    private readonly string[] _extra;
    private readonly TlsFiles? _tls;
    private Process? _process;

    private RedisServer(string program, int port, bool persistent, string[] extra, TlsFiles? tls = null)
    {
        _program = program;
        _tls = tls;
        Port = port;
        _persistent = persistent;
        _extra = extra;
        _directory = Directory.CreateTempSubdirectory("tempo-redis-").FullName;
        Start();
    }

    public int Port { get; }

    public RedisUrl Url => RedisUrl.Parse(UrlText);

    public string UrlText => string.Create(CultureInfo.InvariantCulture, $"{(_tls is null ? "redis" : "rediss")}://127.0.0.1:{Port}");

    /// <summary>Starts a server, or skips the test loudly (fails in CI) when redis-server is not installed.</summary>
    public static RedisServer Start(bool persistent = false, params string[] extra) =>
        new(ExternalTool.Require("redis-server", "redis-server"), FreePort(), persistent, extra);

    /// <summary>Starts a server that speaks TLS only, on its port, with <paramref name="tls"/>'s certificate (clients are not asked for one).</summary>
    public static RedisServer StartTls(TlsFiles tls) =>
        new(ExternalTool.Require("redis-server", "redis-server"), FreePort(), persistent: false, [], tls);

    /// <summary>Kills the server with SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Starts the server again on the same port.</summary>
    public void Start()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var arguments = _tls is null
            ? new List<string> { "--port", port }
            : ["--port", "0", "--tls-port", port, "--tls-cert-file", _tls.ServerCertificate, "--tls-key-file", _tls.ServerKey, "--tls-ca-cert-file", _tls.Authority, "--tls-auth-clients", "no"];
        arguments.AddRange(["--bind", "127.0.0.1", "--dir", _directory, "--save", string.Empty]);
        arguments.AddRange(_persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]);
        arguments.AddRange(_extra);
        var start = new ProcessStartInfo(_program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {Port} within 10 s.");
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The server's files may still be closing; the temp folder is cleaned by the system.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using Tempo.Tests.Shared;

namespace Tempo.Redis.Tests;

/// <summary>A certificate authority of the test's own and a server certificate it signed for 127.0.0.1, made with openssl in a temporary folder deleted at the end.</summary>
internal sealed class TlsFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tempo-tls-").FullName;

    private TlsFiles(string openssl)
    {
        Run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=tempo test authority");
        Run(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        File.WriteAllText(Path.Combine(_directory, "san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Run(openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.cnf");
    }

    /// <summary>The authority's certificate (PEM): what a client trusts.</summary>
    public string Authority => Path.Combine(_directory, "ca.crt");

    public string ServerCertificate => Path.Combine(_directory, "server.crt");

    public string ServerKey => Path.Combine(_directory, "server.key");

    /// <summary>Makes the files, or skips the test loudly (fails in CI) without openssl.</summary>
    public static TlsFiles Create() => new(ExternalTool.Require("openssl", "openssl"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Run(string openssl, params string[] arguments)
    {
        var start = new ProcessStartInfo(openssl) { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {error.Result}");
        }
    }
}

using System.Globalization;
using Tempo.Runtime.Metrics;

namespace Tempo.Dashboard.Tests;

/// <summary>A run folder written by hand as a run writes it: <c>config.json</c>, then <c>metrics.csv</c> with the real fixed header and rows appended one at a time.</summary>
internal sealed class TestRunFolder : IDisposable
{
    public static readonly string Header = CsvMetricsSink.FixedHeader + ",policy_loss,value_loss,entropy";

    public TestRunFolder(string name = "cartpole-a", bool withConfig = true)
    {
        Root = Directory.CreateTempSubdirectory("tempo-dash-").FullName;
        Path = System.IO.Path.Combine(Root, name);
        Directory.CreateDirectory(Path);
        if (withConfig)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "config.json"), """{ "env": "LiveCartPole-v1", "algo": "appo", "tick-rate": 50, "seed": 1 }""");
        }
    }

    public string Root { get; }

    public string Path { get; }

    public string Metrics => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>The row of report <paramref name="i"/>: step 512·(i+1), wall time i+1 s, return 10·(i+1), gap p99 20+i ms; no x reached (an env without positions), no game faults.</summary>
    public static string Row(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"{512 * (i + 1)},{i + 1}.5,{3 * i},{10 * (i + 1)},500.25,18,{20 + i},31,1.5,3,{i},0,0,2.5,{i + 1},16,{10 * (i + 1)},,0,0,0.1,{5 - (0.5 * i)},0.69");

    public void WriteHeader() => File.AppendAllText(Metrics, Header + "\n");

    public void Append(params string[] lines) => File.AppendAllText(Metrics, string.Concat(lines.Select(line => line + "\n")));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

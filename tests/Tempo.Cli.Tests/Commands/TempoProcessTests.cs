using System.Diagnostics;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Cli.Tests.Commands;

/// <summary>
/// <c>tempo</c> as a separate process, for what only a process shows: Ctrl-C, the working directory's <c>runs/</c>
/// folder, and PATH without ffmpeg. Linux only (signals are sent with kill, the env is reset with coreutils' env).
/// </summary>
public sealed class TempoProcessTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [SkippableFact]
    public void Train_CtrlC_CheckpointsSaysInterruptedAndExits130()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "sends SIGINT with kill.");
        using var tempo = Start(["train", "--total-timesteps", "100000000", "--run-dir", "run", "--plain"]);

        // Interrupt once training reports, so the run has something to checkpoint.
        var firstReport = tempo.WaitForLine(l => l.StartsWith("step ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.True(firstReport is not null, $"no progress line within 60 s: {tempo.Error}");
        Signal(tempo.Process.Id, "INT");
        var exitCode = tempo.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Equal(130, exitCode);
        var last = tempo.Lines[^1];
        var runDir = Path.Combine(_directory.Path, "run");
        Assert.StartsWith("interrupted: ", last);
        Assert.EndsWith($"continue with --resume {runDir}", last);
        Assert.DoesNotContain("   at ", tempo.Error);
        var checkpoint = CheckpointFile.ReadMetadata(Path.Combine(runDir, CheckpointFile.FileName));
        Assert.True(checkpoint.GlobalStep > 0);
        Assert.Contains($" {checkpoint.GlobalStep} steps in ", last);
    }

    [SkippableFact]
    public void Train_NoRunDir_EachRunGetsAFreshFolderAndRunsLatestLinksToTheNewest()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "runs/latest is a symbolic link here, a text file on Windows.");
        string[] train = ["train", "--total-timesteps", "256", "--num-envs", "2", "--num-steps", "128", "--plain"];

        using (var first = Start(train))
        {
            Assert.Equal(0, first.WaitForExit(TimeSpan.FromSeconds(120)));
        }

        using var second = Start(train);
        Assert.Equal(0, second.WaitForExit(TimeSpan.FromSeconds(120)));

        var runs = Path.Combine(_directory.Path, "runs");
        var folders = Directory.GetDirectories(runs).Where(d => new DirectoryInfo(d).LinkTarget is null).Order().ToArray();
        Assert.Equal(2, folders.Length);
        Assert.All(folders, f => Assert.Matches(@"CartPole-v1-ppo-\d{8}-\d{6}(-\d+)?$", f));
        Assert.All(folders, f => Assert.True(File.Exists(Path.Combine(f, "checkpoint.tempo")), f));
        var latest = new DirectoryInfo(Path.Combine(runs, "latest"));
        var newest = second.Lines[^1].Split("run folder ")[1];
        Assert.Equal(Path.GetFileName(newest), latest.LinkTarget);
        Assert.Contains(newest, folders);
    }

    [SkippableFact]
    public void Eval_Mp4WithoutFfmpeg_OneLineBeforePlaying()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "runs tempo with a PATH that holds nothing.");
        using (var train = Start(["train", "--total-timesteps", "256", "--num-envs", "2", "--num-steps", "128", "--run-dir", "run", "--plain"]))
        {
            Assert.Equal(0, train.WaitForExit(TimeSpan.FromSeconds(120)));
        }

        var empty = Directory.CreateDirectory(Path.Combine(_directory.Path, "empty-path")).FullName;
        using var eval = Start(["eval", "--checkpoint", "run", "--episodes", "1", "--video", "x.mp4"], path: empty);

        Assert.Equal(2, eval.WaitForExit(TimeSpan.FromSeconds(120)));
        var line = Assert.Single(eval.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: Cannot write the video 'x.mp4': MP4 needs ffmpeg, which was not found on PATH. Install ffmpeg (e.g. 'apt-get install ffmpeg') or write a .gif instead.", line);
        Assert.DoesNotContain("episode 1", eval.Output);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "x.mp4")));
    }

    [SkippableFact]
    public void Bench_MalformedTempoKernels_OneLineNamingTheValue()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "starts tempo through coreutils' env.");
        using var bench = Start(["bench", "--quick"], variable: ("TEMPO_KERNELS", "avx3"));

        Assert.Equal(2, bench.WaitForExit(TimeSpan.FromSeconds(120)));
        var line = Assert.Single(bench.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: TEMPO_KERNELS: 'avx3' is not one of auto, avx512, avx2, vector128, scalar or blocks=MCxKCxNC.", line);
        Assert.Empty(bench.Output);
    }

    /// <summary>Starts the tempo built beside these tests in the temporary folder, with SIGINT's default action restored (a shell's background job inherits it ignored).</summary>
    private TempoProcess Start(string[] arguments, string? path = null, (string Name, string Value)? variable = null)
    {
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--default-signal=INT", Path.Combine(AppContext.BaseDirectory, "tempo"), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }

        if (variable is { } set)
        {
            start.Environment[set.Name] = set.Value;
        }

        return new TempoProcess(Process.Start(start)!);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A running tempo whose output lines are collected as they come; killed by its own id if the test ends first.</summary>
    private sealed class TempoProcess : IDisposable
    {
        private readonly List<string> _lines = [];
        private readonly System.Text.StringBuilder _error = new();

        public TempoProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_lines)
                    {
                        _lines.Add(e.Data);
                        Monitor.PulseAll(_lines);
                    }
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_error)
                    {
                        _error.AppendLine(e.Data);
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string[] Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public string Output => string.Join('\n', Lines);

        public string Error
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public string? WaitForLine(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_lines)
            {
                while (true)
                {
                    if (_lines.FirstOrDefault(match) is { } line)
                    {
                        return line;
                    }

                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || Process.HasExited)
                    {
                        return null;
                    }

                    Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
                }
            }
        }

        public int WaitForExit(TimeSpan timeout)
        {
            Assert.True(Process.WaitForExit(timeout), $"tempo did not exit within {timeout}: {Error}");
            Process.WaitForExit(); // drains the output events
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}

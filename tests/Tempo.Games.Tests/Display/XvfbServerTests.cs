using System.Globalization;
using Tempo.Games.Display;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.Display;

public sealed class XvfbServerTests
{
    [SkippableFact]
    public void Xvfb_runs_in_a_process_group_of_its_own_so_a_terminal_Ctrl_C_does_not_reach_it()
    {
        ExternalTool.Require("Xvfb", "xvfb");
        using var xvfb = XvfbServer.Start();

        // Ctrl-C signals the terminal's foreground process group: the test host's group stands for it here.
        Assert.NotEqual(ProcessGroupOf(Environment.ProcessId), ProcessGroupOf(xvfb.ProcessId));

        // The pid is Xvfb's own (setsid ran it in place), so stopping by pid stops the server.
        Assert.Equal("Xvfb", File.ReadAllText($"/proc/{xvfb.ProcessId}/comm").Trim());
    }

    // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so count from the last ')'.
    private static int ProcessGroupOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[2], CultureInfo.InvariantCulture);
    }
}

using System.CommandLine;
using Tempo.Cli.Commands;
using Tempo.Cli.Commands.Fleet;
using Tempo.Core.Envs.Registry;

namespace Tempo.Cli;

/// <summary>The <c>tempo</c> command tree over given writers and clock, so that it runs the same from Program and in-process.</summary>
internal static class CliApp
{
    /// <summary>Builds the root command with every subcommand.</summary>
    /// <param name="registry">The envs the commands know.</param>
    /// <param name="output">Where results and progress go.</param>
    /// <param name="error">Where error lines go.</param>
    /// <param name="time">The clock of training runs.</param>
    /// <param name="redrawProgress">Redraw the training progress line in place (an interactive terminal); otherwise plain lines.</param>
    public static RootCommand Build(EnvRegistry registry, TextWriter output, TextWriter error, TimeProvider time, bool redrawProgress) =>
        new("Tempo: reinforcement learning for live games.")
        {
            EnvsCommand.Create(registry, output, error),
            RunCommand.Create(registry, output, error),
            TrainCommand.Create(registry, output, error, time, redrawProgress),
            EvalCommand.Create(registry, output, error),
            ExportCommand.Create(registry, output, error),
            PlotCommand.Create(output, error),
            LearnerCommand.Create(registry, output, error, time, redrawProgress),
            ActorCommand.Create(registry, output, error),
            StatusCommand.Create(output, error),
            ScanCommand.Create(output, error),
            DashboardCommand.Create(output, error),
            BenchCommand.Create(output, error),
        };

    /// <summary>Parses <paramref name="args"/> and runs the command; parse errors and help go to the same writers.</summary>
    /// <returns>The exit code: 0 on success, non-zero on bad input or failure.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider time, bool redrawProgress)
    {
        var registry = EnvRegistry.CreateDefault();

        // The games assembly ships with the CLI, so its envs (SuperTux-v0) need no --env-assembly.
        registry.RegisterFrom(typeof(Tempo.Games.SuperTux.SuperTuxRegistration).Assembly);
        var root = Build(registry, output, error, time, redrawProgress);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

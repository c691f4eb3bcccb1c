using System.CommandLine;
using Tempo.Core.Envs.Registry;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo envs</c>: lists the registered environments with their spaces and time limits.</summary>
internal static class EnvsCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var envAssembly = EnvAssemblies.CreateOption();
        var command = new Command("envs", "List the registered environments with their observation and action spaces.") { envAssembly };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            foreach (var id in registry.Ids)
            {
                var spec = registry.GetSpec(id);
                using var env = registry.Make(id);
                var limit = spec.MaxEpisodeSteps?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
                output.WriteLine($"{id} (time limit: {limit})");
                output.WriteLine($"  observation  {env.ObservationSpace}");
                output.WriteLine($"  action       {env.ActionSpace}");
            }

            return 0;
        }));
        return command;
    }
}

using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;
using Tempo.Core.Envs.Registry;

namespace Tempo.Cli.Commands;

/// <summary>The <c>--env-assembly</c> option: user assemblies whose <see cref="IEnvRegistration"/>s add envs the CLI was not built with.</summary>
internal static class EnvAssemblies
{
    /// <summary>Creates the option (it may be given several times).</summary>
    public static Option<FileInfo[]> CreateOption() => new("--env-assembly")
    {
        Description = "A .NET assembly (DLL) whose public IEnvRegistration classes register more envs; may be given several times.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Loads each assembly given and registers its envs into <paramref name="registry"/>.</summary>
    /// <exception cref="ArgumentException">A file does not exist, is not a .NET assembly, or registers nothing.</exception>
    public static void Register(ParseResult parse, Option<FileInfo[]> option, EnvRegistry registry)
    {
        foreach (var file in parse.GetValue(option) ?? [])
        {
            if (!file.Exists)
            {
                throw new ArgumentException($"env assembly {file.FullName} does not exist.");
            }

            Assembly assembly;
            try
            {
                assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(file.FullName);
            }
            catch (BadImageFormatException)
            {
                throw new ArgumentException($"env assembly {file.FullName} is not a .NET assembly.");
            }
            catch (FileLoadException error)
            {
                throw new ArgumentException($"env assembly {file.FullName} cannot be loaded: {error.Message}");
            }

            registry.RegisterFrom(assembly);
        }
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Commands;

/// <summary>The config layers of a command that trains (<c>train</c>, <c>learner</c>), resolved into settings in one place.</summary>
internal static class TrainingLayers
{
    /// <summary>
    /// Resolves the layers, later ones winning: the command's own defaults, a resumed run's stored config, the config
    /// file, then the flags. Returns the settings and the checkpoint file resumed from (null for a new run).
    /// </summary>
    public static (RunSettings Settings, string? ResumeFrom) Resolve(
        ParseResult parse, EnvRegistry registry, ConfigLayer? defaults, Option<DirectoryInfo> resume, Option<FileInfo> config, TrainFlags flags)
    {
        var layers = new List<ConfigLayer>();
        if (defaults is not null)
        {
            layers.Add(defaults);
        }

        string? resumeFrom = null;
        if (parse.GetValue(resume) is { } resumeDirectory)
        {
            resumeFrom = Path.Combine(resumeDirectory.FullName, CheckpointFile.FileName);
            var checkpoint = CheckpointFile.ReadMetadata(resumeFrom);
            layers.Add(ConfigLayer.Parse(checkpoint.Config, $"the config stored in {resumeFrom}"));
            layers.Add(new ConfigLayer("--resume", new JsonObject { ["run-dir"] = resumeDirectory.FullName }));
        }

        if (parse.GetValue(config) is { } file)
        {
            layers.Add(ConfigLayer.ReadFile(file.FullName));
        }

        layers.Add(flags.Read(parse));
        return (RunConfig.Resolve(registry, layers), resumeFrom);
    }
}

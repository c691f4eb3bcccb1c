using System.CommandLine;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Export;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo export</c>: writes a trained policy as an ONNX model that runs without Tempo.</summary>
internal static class ExportCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A checkpoint file, or a run folder holding checkpoint.tempo.", Required = true };
        var onnx = new Option<FileInfo>("--onnx") { Description = "The ONNX file to write (see docs/formats/onnx.md for its inputs and outputs).", Required = true };
        var envAssembly = EnvAssemblies.CreateOption();
        var command = new Command("export", "Export a trained policy as an ONNX model.") { checkpoint, onnx, envAssembly };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            var path = parse.GetRequiredValue(onnx).FullName;
            if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
            {
                return CliErrors.Fail(error, $"--onnx {path}: the folder {folder} does not exist.");
            }

            var signature = OnnxExporter.ExportCheckpoint(registry, parse.GetRequiredValue(checkpoint).FullName, path);
            output.WriteLine($"wrote {path} (ONNX opset {OnnxExporter.OpsetVersion})");
            output.WriteLine($"  inputs:  {string.Join("; ", signature.Inputs)}");
            output.WriteLine($"  outputs: {string.Join("; ", signature.Outputs)}");
            return 0;
        }));
        return command;
    }
}

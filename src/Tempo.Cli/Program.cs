using System.CommandLine;
using Tempo.Cli.Commands;
using Tempo.Core.Envs.Registry;

// The composition root: everything the commands use is built here and passed in.
var registry = EnvRegistry.CreateDefault();
var root = new RootCommand("Tempo: reinforcement learning for live games.")
{
    EnvsCommand.Create(registry, Console.Out),
    RunCommand.Create(registry, Console.Out, Console.Error),
    TrainCommand.Create(registry, Console.Out, Console.Error, TimeProvider.System),
    EvalCommand.Create(registry, Console.Out, Console.Error),
};
return root.Parse(args).Invoke();

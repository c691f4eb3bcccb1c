using Tempo.Cli;

// The composition root: everything the commands use is built in CliApp and passed in.
return CliApp.Run(args, Console.Out, Console.Error, TimeProvider.System, redrawProgress: !Console.IsOutputRedirected);

using System.CommandLine;
using System.Globalization;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo run</c>: plays episodes with a uniformly random policy and prints each one's return and length.</summary>
internal static class RunCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var envOption = new Option<string>("--env") { Description = "Environment id (see 'tempo envs').", Required = true };
        var episodesOption = new Option<int>("--episodes") { Description = "Episodes to play.", DefaultValueFactory = _ => 5 };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the env and of the random policy.", DefaultValueFactory = _ => 1 };
        episodesOption.Validators.Add(result =>
        {
            // A value that is not a number has already failed to parse (reported on its own); reading it here would throw.
            if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var episodes) && episodes <= 0)
            {
                result.AddError($"--episodes must be positive; got {episodes}.");
            }
        });

        var envAssembly = EnvAssemblies.CreateOption();
        var command = new Command("run", "Play episodes with a random policy.") { envOption, episodesOption, seedOption, envAssembly };
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            var id = parse.GetRequiredValue(envOption);
            using var env = registry.Make(id);
            var episodes = parse.GetValue(episodesOption);
            var seed = parse.GetValue(seedOption);
            return env switch
            {
                IEnv<float, int> e => Play(e, episodes, seed, output),
                IEnv<float, float> e => Play(e, episodes, seed, output),
                IEnv<byte, int> e => Play(e, episodes, seed, output),
                IEnv<byte, float> e => Play(e, episodes, seed, output),
                _ => CliErrors.Fail(error, $"{id} has element types this command does not play."),
            };
        }));
        return command;
    }

    private static int Play<TObservation, TAction>(IEnv<TObservation, TAction> env, int episodes, int seed, TextWriter output)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var random = new RandomSource(seed);
        var observation = new TObservation[env.ObservationSpace.FlatSize];
        var action = new TAction[env.ActionSpace.FlatSize];
        var returns = new double[episodes];
        for (var episode = 0; episode < episodes; episode++)
        {
            // Seed the first reset only, as Gymnasium does: later episodes continue the env's stream.
            env.Reset(observation, episode == 0 ? seed : null);
            double episodeReturn = 0;
            var length = 0;
            StepResult result;
            do
            {
                env.ActionSpace.Sample(random, action);
                result = env.Step(action, observation);
                episodeReturn += result.Reward;
                length++;
            }
            while (!result.IsDone);

            returns[episode] = episodeReturn;
            var ending = result.Terminated ? "terminated" : "truncated";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"episode {episode + 1}: return {episodeReturn:F2}, length {length} ({ending})"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean return over {episodes} episodes: {returns.Average():F2}"));
        return 0;
    }
}

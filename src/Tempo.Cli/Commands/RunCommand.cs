using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo run</c>: plays episodes with a uniformly random policy (the baseline a trained policy is compared with) and prints each one's return and length.</summary>
internal static class RunCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var envOption = new Option<string>("--env") { Description = "Environment id (see 'tempo envs')." };
        var configOption = new Option<FileInfo>("--config") { Description = "A run config JSON file whose env and env-options to play (as 'tempo train --config'); --env overrides its env." };
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
        var command = new Command("run", "Play episodes with a random policy.") { envOption, configOption, episodesOption, seedOption, envAssembly };
        command.Validators.Add(result =>
        {
            if (result.GetValue(envOption) is null && result.GetValue(configOption) is null)
            {
                result.AddError("Name the env to play: --env ID, or --config FILE with an env (and its env-options).");
            }
        });
        command.SetAction(parse => CliErrors.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            var (id, options) = ResolveEnv(parse, registry, envOption, configOption);
            using var env = registry.Make(id, options);
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

    /// <summary>The farthest x an episode reached, as the tail of its line (", x reached 1234"); empty for an env without positions.</summary>
    public static string XReached(double? x) => x is { } value ? string.Create(CultureInfo.InvariantCulture, $", x reached {value:F0}") : string.Empty;

    /// <summary>The env id and its options: a config file's (as training reads it), then --env.</summary>
    private static (string Id, object? Options) ResolveEnv(ParseResult parse, EnvRegistry registry, Option<string> envOption, Option<FileInfo> configOption)
    {
        var id = parse.GetValue(envOption);
        if (parse.GetValue(configOption) is not { } file)
        {
            return (id!, null);
        }

        var layers = new List<ConfigLayer> { ConfigLayer.ReadFile(file.FullName) };
        if (id is not null)
        {
            layers.Add(new ConfigLayer("--env", new JsonObject { ["env"] = id }));
        }

        var settings = RunConfig.Resolve(registry, layers);
        return (settings.Env, settings.EnvOptions);
    }

    private static int Play<TObservation, TAction>(IEnv<TObservation, TAction> env, int episodes, int seed, TextWriter output)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        // Episode statistics (the farthest x for envs that expose positions) come from the same wrapper training records them with.
        using var recorded = new RecordEpisodeStatistics<TObservation, TAction>(env);
        var random = new RandomSource(seed);
        var observation = new TObservation[env.ObservationSpace.FlatSize];
        var action = new TAction[env.ActionSpace.FlatSize];
        var returns = new double[episodes];
        for (var episode = 0; episode < episodes; episode++)
        {
            // Seed the first reset only, as Gymnasium does: later episodes continue the env's stream.
            recorded.Reset(observation, episode == 0 ? seed : null);
            double episodeReturn = 0;
            var length = 0;
            StepResult result;
            do
            {
                env.ActionSpace.Sample(random, action);
                result = recorded.Step(action, observation);
                episodeReturn += result.Reward;
                length++;
            }
            while (!result.IsDone);

            returns[episode] = episodeReturn;
            var ending = result.Terminated ? "terminated" : "truncated";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"episode {episode + 1}: return {episodeReturn:F2}, length {length} ({ending}){XReached(result.Episode?.XReached)}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean return over {episodes} episodes: {returns.Average():F2}"));
        return 0;
    }
}

using System.CommandLine;
using System.Globalization;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;

namespace Tempo.Cli.Commands.Fleet;

/// <summary><c>tempo actor</c>: reads a run from a Redis fleet, builds the same env and network, and acts until the run is over or it is stopped.</summary>
internal static class ActorCommand
{
    public static Command Create(EnvRegistry registry, TextWriter output, TextWriter error)
    {
        var fleet = new FleetOptions();
        var numEnvs = new Option<int?>("--num-envs") { Description = "Envs this process steps: a multiple of the run's num-envs (one actor thread per run-sized group); the run's by default." };
        var actorId = new Option<int?>("--actor-id") { Description = "This process's first actor id (≥ 0); the fleet assigns one when omitted." };
        var outbox = new Option<int>("--outbox") { Description = "Segments buffered while Redis is away; beyond it the oldest are dropped and counted.", DefaultValueFactory = _ => new Tempo.Redis.RedisFleetOptions().OutboxCapacity };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for a learner to publish the run.", DefaultValueFactory = _ => 60 };
        var envAssembly = EnvAssemblies.CreateOption();
        var command = new Command("actor", "Act in a run of a Redis fleet: same env and network as its learner; keeps acting while Redis or the learner is away.") { numEnvs, actorId, outbox, wait, envAssembly };
        fleet.AddTo(command);
        command.SetAction((parse, cancellationToken) => Task.FromResult(FleetOptions.Guard(error, () =>
        {
            EnvAssemblies.Register(parse, envAssembly, registry);
            using var redis = fleet.Connect(parse, line => error.WriteLine($"warning: {line}"), parse.GetValue(outbox));
            var settings = redis.ReadSettings(registry, TimeSpan.FromSeconds(parse.GetValue(wait)));
            var runEnvs = settings.Collection.NumEnvs;
            var envs = parse.GetValue(numEnvs) ?? runEnvs;
            if (envs <= 0 || envs % runEnvs != 0)
            {
                return CliErrors.Fail(error, $"--num-envs must be a positive multiple of run {redis.Run}'s num-envs ({runEnvs}): every segment has the learner's shape; got {envs}.");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acting in run {redis.Run} on {settings.Env} with {envs} envs ({envs / runEnvs} actors)"));
            var outcome = HostRuns.Act(registry, settings, redis.ActorTransport(parse.GetValue(actorId)), envs / runEnvs, cancellationToken: cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acted {outcome.GlobalStep} steps in {outcome.WallTimeSeconds:F2} s"));
            return 0;
        })));
        return command;
    }
}

using System.Text.Json;
using Tempo.Algorithms.Experience;
using Tempo.Core.Envs.Registry;
using Tempo.Redis.Status;
using Tempo.Redis.Transport;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Transport;

namespace Tempo.Redis;

/// <summary>One process's handle on a run's fleet in Redis: publishes or reads the run, opens the learner's or an actor process's transport, and reads the fleet's status.</summary>
/// <remarks>
/// <para>What <c>tempo learner</c>, <c>tempo actor</c> and <c>tempo status</c> do, in a few lines of user code:</para>
/// <code>
/// using var fleet = RedisFleet.Connect(RedisUrl.Parse("redis://localhost:6379"), "cartpole");
/// HostRuns.Learn(registry, settings, fleet.LearnerTransport(settings));                   // on the learner's machine
/// HostRuns.Act(registry, fleet.ReadSettings(registry, TimeSpan.FromMinutes(1)), fleet.ActorTransport(), actors: 1);  // on each game's
/// var status = fleet.ReadStatus();                                                         // anywhere
/// </code>
/// <para>The protocol (keys, entry layout, what each side does on restart) is in <c>docs/formats/redis.md</c>.</para>
/// </remarks>
public sealed class RedisFleet : IDisposable
{
    private readonly FleetConnection _connection;

    private RedisFleet(FleetConnection connection) => _connection = connection;

    /// <summary>The run's name.</summary>
    public string Run => _connection.Keys.Run;

    /// <summary>Times this process's connection was restored after a loss.</summary>
    public long Reconnects => _connection.Reconnects;

    /// <summary>Connects to the fleet of run <paramref name="run"/>.</summary>
    /// <exception cref="ArgumentException">The run name is not usable as a key part.</exception>
    /// <exception cref="InvalidOperationException">Redis cannot be reached (the message names the URL without its password).</exception>
    public static RedisFleet Connect(RedisUrl url, string run, RedisFleetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        options ??= new RedisFleetOptions();
        options.Validate();
        return new RedisFleet(FleetConnection.Connect(url, run, options));
    }

    /// <summary>The learner's transport factory for a run of <paramref name="settings"/>: takes the run's learner lock and publishes the run description when the learner opens it.</summary>
    /// <remarks>
    /// One learner holds a run at a time (a lock in Redis with a TTL of <see cref="RedisFleetOptions.LearnerLockTtl"/>,
    /// renewed while it lives): opening the transport refuses, naming the holder, while another learner is alive, and
    /// waits out the TTL of one that died.
    /// A learner continuing a run (<see cref="RunSettings.ResumeFrom"/>) keeps the run's id, stream and pending entries; it
    /// must build the same spaces, network and segment layout. A new learner may take over a run name only once the run
    /// is finished (its data is deleted then); a live run of that name is refused.
    /// </remarks>
    public ILearnerTransportFactory LearnerTransport(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LearnerFactory(this, settings);
    }

    /// <summary>An actor process's transport factory: its actors get ids <paramref name="firstActorId"/>, +1, …, or fleet-assigned ones when null.</summary>
    public IActorTransportFactory ActorTransport(int? firstActorId = null)
    {
        if (firstActorId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstActorId), firstActorId, $"--actor-id must be ≥ 0; got {firstActorId}.");
        }

        return new ActorFactory(this, firstActorId);
    }

    /// <summary>Reads the run's settings as its learner published them, waiting up to <paramref name="wait"/> for a learner to publish.</summary>
    /// <exception cref="InvalidDataException">No learner published the run in time, or it was published by another schema version.</exception>
    /// <exception cref="ArgumentException">The run's env is not registered here, or a setting is not understood.</exception>
    public RunSettings ReadSettings(EnvRegistry registry, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var description = WaitForDescription(wait);
        if (!registry.Contains(description.Env))
        {
            throw new ArgumentException($"Run {Run} trains env {description.Env}, which is not registered here; pass the assembly that registers it with --env-assembly.");
        }

        return RunConfig.Resolve(registry, [ConfigLayer.Parse(description.Config, $"the description of run {Run} in Redis")]);
    }

    /// <summary>The fleet as it last reported itself: the learner and every actor process, alive or gone.</summary>
    public FleetStatus ReadStatus()
    {
        var database = _connection.Database;
        var keys = _connection.Keys;
        var descriptionText = (string?)database.StringGet(keys.Description);
        string? runId = null;
        if (descriptionText is not null)
        {
            try
            {
                runId = RunDescription.Parse(descriptionText, Run).RunId.ToString();
            }
            catch (InvalidDataException)
            {
                runId = "(unreadable description)";
            }
        }

        var members = new List<FleetMemberStatus>();
        foreach (var entry in database.HashGetAll(keys.Members))
        {
            var json = (string?)entry.Value;
            if (json is null || json.Length > 64 * 1024)
            {
                continue;
            }

            FleetMemberStatus? status;
            try
            {
                status = JsonSerializer.Deserialize(json, FleetStatusJsonContext.Default.FleetMemberStatus);
            }
            catch (JsonException)
            {
                continue;
            }

            if (status is not null)
            {
                members.Add(status with { Alive = database.KeyExists(keys.Heartbeat(status.Member)) });
            }
        }

        members.Sort((a, b) => a.Role != b.Role ? a.Role.CompareTo(b.Role) : NaturalOrder(a.Member, b.Member));
        return new FleetStatus(Run, runId, members);
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    /// <summary>The raw database and keys, for tests that inject entries as another process would.</summary>
    internal FleetConnection Connection => _connection;

    private static int NaturalOrder(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    private RunDescription WaitForDescription(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var text = (string?)_connection.Database.StringGet(_connection.Keys.Description);
            if (text is not null)
            {
                return RunDescription.Parse(text, Run);
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidDataException($"No learner has published run {Run} in this Redis (waited {wait.TotalSeconds:F0} s); start `tempo learner --run {Run}` first.");
            }

            Thread.Sleep(250);
        }
    }

    private RunDescription Description()
    {
        var text = (string?)_connection.Database.StringGet(_connection.Keys.Description)
            ?? throw new InvalidDataException($"Run {Run} has no description in Redis any more.");
        return RunDescription.Parse(text, Run);
    }

    private RunDescription PublishRun(RunSettings settings, TransportShape shape)
    {
        var database = _connection.Database;
        var keys = _connection.Keys;
        var existingText = (string?)database.StringGet(keys.Description);
        var run = RunId.NewUnique();
        if (existingText is not null)
        {
            var existing = RunDescription.Parse(existingText, Run);
            var finished = database.KeyExists(keys.Finished);
            if (settings.ResumeFrom is not null && !finished)
            {
                var differences = existing.Differences(shape);
                if (differences.Count > 0 || existing.Env != settings.Env)
                {
                    throw new ArgumentException($"Cannot continue run {Run} in Redis: it trains {existing.Env} and this learner builds something else ({string.Join("; ", differences)}).");
                }

                // The same run goes on: its id, stream, consumer group and pending entries stay.
                run = existing.RunId;
            }
            else if (!finished)
            {
                throw new ArgumentException($"Run {Run} is live in Redis (run id {existing.RunId}); continue it with --resume DIR, or pick another --run.");
            }
            else
            {
                // A finished run's name is taken over: its data goes.
                database.KeyDelete([keys.Segments, keys.Policy, keys.Members, keys.Finished]);
            }
        }

        var description = RunDescription.For(run, settings.Env, settings.Algorithm.Name, RunConfig.Serialize(settings with { ResumeFrom = null }), shape);
        database.StringSet(keys.Description, description.ToJson());
        database.KeyDelete(keys.Finished);
        return description;
    }

    private sealed class LearnerFactory(RedisFleet fleet, RunSettings settings) : ILearnerTransportFactory
    {
        public ILearnerTransport<TObservation, TAction> OpenLearner<TObservation, TAction>(TransportShape shape)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            ArgumentNullException.ThrowIfNull(shape);

            // One learner per run: the lock comes first, so a second learner never rewrites the run's description.
            var learnerLock = LearnerLock.Take(fleet._connection);
            try
            {
                var description = fleet.PublishRun(settings, shape);
                return new RedisLearnerTransport<TObservation, TAction>(fleet._connection, description, shape, learnerLock);
            }
            catch
            {
                learnerLock.Dispose();
                throw;
            }
        }
    }

    private sealed class ActorFactory(RedisFleet fleet, int? firstActorId) : IActorTransportFactory
    {
        public IActorTransport<TObservation, TAction> OpenActors<TObservation, TAction>(TransportShape shape, int actors)
            where TObservation : unmanaged
            where TAction : unmanaged
        {
            ArgumentNullException.ThrowIfNull(shape);
            var description = fleet.Description();
            if (description.Differences(shape) is { Count: > 0 } differences)
            {
                throw new ArgumentException($"This actor cannot join run {fleet.Run}: {string.Join("; ", differences)}.");
            }

            var database = fleet._connection.Database;
            var keys = fleet._connection.Keys;
            var first = firstActorId ?? (int)(database.StringIncrement(keys.NextActorId, actors) - actors);
            var ids = Enumerable.Range(first, actors).Select(id => new ActorId(id)).ToArray();
            var incarnation = database.StringIncrement(keys.Incarnation($"actor-{first}"));
            return new RedisActorTransport<TObservation, TAction>(fleet._connection, description.RunId, shape, ids, incarnation);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Redis;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Transport;

namespace Tempo.Benchmarks.Fleet;

/// <summary>
/// <c>redis-throughput URL</c>: segments end to end through a Redis fleet's transport on one machine (actor encode → outbox →
/// XADD → XREADGROUP → decode → learner), for CartPole-sized segments and 4×64×64 byte frames, and the actor thread's
/// cost per env step. Prints one line per case; the median of five 2-second runs.
/// </summary>
internal static class RedisThroughput
{
    public static void Run(string[] args)
    {
        var url = RedisUrl.Parse(args.Length > 0 ? args[0] : "redis://127.0.0.1:6379");
        var registry = EnvRegistry.CreateDefault();
        var settings = ActorCriticRecipes.Defaults(registry.GetSpec("CartPole-v1"), "appo") with { Schedule = ScheduleKind.Asynchronous };

        // CartPole as the async recipe collects it: 128 steps × 4 envs × 4 floats.
        var cartPole = new TransportShape(
            new SegmentLayout(128, 4, 4, 1), 4610, new BoxSpace<float>(-10f, 10f, 4), new DiscreteSpace(2), new ModelSpec(ModelKind.CategoricalMlp, "float32", [4], 2, [64, 64]), 64);
        Measure<float, int>(url, settings, cartPole, "CartPole segments (128x4, 4 float32 obs)", "transitions/s");

        // Frames: 32 steps × 4 envs × 4×64×64 bytes (a 2.1 MB segment).
        var frames = new TransportShape(
            new SegmentLayout(32, 4, 4 * 64 * 64, 1), 4610, new BoxSpace<byte>(0, 255, 4, 64, 64), new DiscreteSpace(3), new ModelSpec(ModelKind.CategoricalCnn, "uint8", [4, 64, 64], 3, [512]), 64);
        Measure<byte, int>(url, settings, frames, "4x64x64 byte frames (32x4 per segment)", "frames/s");
    }

    private static void Measure<TObservation, TAction>(RedisUrl url, RunSettings settings, TransportShape shape, string name, string unit)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var rates = new List<double>();
        var actorCosts = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var run = string.Create(CultureInfo.InvariantCulture, $"bench-{Environment.ProcessId}-{name.GetHashCode(StringComparison.Ordinal) & 0xffff}-{round}");
            using var fleet = RedisFleet.Connect(url, run);
            using var learner = fleet.LearnerTransport(settings).OpenLearner<TObservation, TAction>(shape);
            using var actors = fleet.ActorTransport().OpenActors<TObservation, TAction>(shape with { WhenFull = QueueFullMode.Wait }, 1);
            learner.Publisher.Publish(new PolicySnapshot(shape.WeightCount));
            var actor = actors.ActorIds[0];
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            long actorTicks = 0;
            long written = 0;
            long timed = 0;
            var producer = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var segment = actors.Pool.Rent();
                    segment.Actor = actor;
                    segment.ActorSteps = (written + 1) * shape.Layout.Transitions;
                    // As the actor host does: try without waiting; a live actor's cost is this call. Waiting for room
                    // (a simulator outrunning Redis) is not cost, so it is not timed.
                    var start = Stopwatch.GetTimestamp();
                    var taken = actors.Writer.TryWrite(segment);
                    if (taken)
                    {
                        actorTicks += Stopwatch.GetTimestamp() - start;
                        timed++;
                    }
                    else
                    {
                        try
                        {
                            actors.Writer.Write(segment, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            actors.Pool.Return(segment);
                            break;
                        }
                    }

                    written++;
                }
            });
            var clock = Stopwatch.StartNew();
            producer.Start();
            long read = 0;
            while (!stop.IsCancellationRequested)
            {
                if (learner.Reader.TryRead(out var segment, TimeSpan.FromMilliseconds(50)))
                {
                    learner.Pool.Return(segment);
                    if (++read % 8 == 0)
                    {
                        learner.Callbacks.OnUpdateFinished(default);
                    }
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            producer.Join();
            rates.Add(read * shape.Layout.Transitions / seconds);
            actorCosts.Add(Stopwatch.GetElapsedTime(0, actorTicks).TotalMicroseconds / Math.Max(1, timed) / shape.Layout.Steps);
        }

        rates.Sort();
        actorCosts.Sort();
        var perStep = actorCosts[2];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {rates[2]:N0} {unit} end to end (median of 5; min {rates[0]:N0}, max {rates[4]:N0}); actor thread (encode + enqueue, waits for room excluded) {perStep:F2} µs per step of its envs = {perStep / 20_000 * 100:F4} % of a 50 Hz period"));
    }
}

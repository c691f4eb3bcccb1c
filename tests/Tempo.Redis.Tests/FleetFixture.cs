using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Hosts.Remote;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Redis.Tests;

/// <summary>CartPole's settings, shape and segments for tests that drive the transports directly.</summary>
internal static class FleetFixture
{
    public const int Steps = 8;
    public const int Envs = 2;

    public static EnvRegistry Registry { get; } = EnvRegistry.CreateDefault();

    public static RunSettings Settings(string env = "CartPole-v1") =>
        ActorCriticRecipes.Defaults(Registry.GetSpec(env), "appo") with
        {
            Schedule = ScheduleKind.Asynchronous,
            Collection = new CollectionOptions { NumEnvs = Envs, NumSteps = Steps, TotalTimesteps = 100_000 },
        };

    public static TransportShape Shape(RunSettings settings)
    {
        using var env = Registry.Make<float, int>(settings.Env);
        var model = ModelSpec.For(ModelKind.CategoricalMlp, env.ObservationSpace, env.ActionSpace, settings.Model.HiddenSizes);
        var weights = model.Create<float, int>(env.ObservationSpace, new Random(1), parallelism: null).WeightCount;
        return new TransportShape(new SegmentLayout(Steps, Envs, env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize), weights, env.ObservationSpace, env.ActionSpace, model, 16);
    }

    /// <summary>Fills a segment with values derived from <paramref name="tag"/>, so a decoded copy can be compared.</summary>
    public static void Fill(Segment<float, int> segment, ActorId actor, long steps, int tag)
    {
        segment.Actor = actor;
        segment.BehaviourVersion = new PolicyVersion(0);
        segment.ActorSteps = steps;
        for (var i = 0; i < segment.Observations.Length; i++)
        {
            segment.Observations[i] = (tag * 1000) + i;
        }

        for (var i = 0; i < segment.Actions.Length; i++)
        {
            segment.Actions[i] = (tag + i) % 2;
            segment.Rewards[i] = 1;
            segment.BehaviourLogProbs[i] = -0.69f;
            segment.BehaviourValues[i] = tag;
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms for up to <paramref name="seconds"/>.</summary>
    public static bool WaitUntil(Func<bool> condition, double seconds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;

namespace Tempo.Algorithms.Tests.TestDoubles;

/// <summary>CartPole-v1 actors for learning smoke tests, and the episode returns they produce.</summary>
internal sealed class CartPoleRun : ITrainingCallbacks, IDisposable
{
    private readonly List<double> _returns = [];
    private readonly List<SyncVectorEnv<float, int>> _envs = [];
    private readonly double _target;
    private readonly CancellationTokenSource _solved = new();

    public CartPoleRun(double target) => _target = target;

    /// <summary>Cancelled once the last-20 mean reaches the target.</summary>
    public CancellationToken Solved => _solved.Token;

    public IReadOnlyList<double> Returns => _returns;

    /// <summary>Best last-20 mean seen so far.</summary>
    public double BestMean { get; private set; } = double.NegativeInfinity;

    /// <summary>Env steps taken when the target was first reached, or null.</summary>
    public long? SolvedAtStep { get; private set; }

    /// <summary>Mean return of the first <paramref name="count"/> episodes.</summary>
    public double FirstMean(int count) => _returns.Take(count).Average();

    /// <summary>A new CartPole model of CleanRL's shape.</summary>
    public static CategoricalMlpActorCritic Model(int seed) => new(4, 2, [64, 64], new Random(seed));

    /// <summary>Creates and starts an actor over <paramref name="numEnvs"/> CartPole-v1 envs acting with <paramref name="policy"/>.</summary>
    public Actor<float, int> Actor(int id, int numEnvs, IPolicy<float, int> policy, int seed)
    {
        var registry = EnvRegistry.CreateDefault();
        var envs = new IEnv<float, int>[numEnvs];
        for (var i = 0; i < numEnvs; i++)
        {
            envs[i] = new RecordEpisodeStatistics<float, int>(registry.Make<float, int>("CartPole-v1"));
        }

        var vector = new SyncVectorEnv<float, int>(envs);
        _envs.Add(vector);
        var actor = new Actor<float, int>(new ActorId(id), vector, policy, this);
        actor.Start(seed);
        return actor;
    }

    public void OnEpisodeEnded(in EpisodeEnded episode)
    {
        _returns.Add(episode.Statistics.Return);
        if (_returns.Count < 20)
        {
            return;
        }

        var mean = _returns.Skip(_returns.Count - 20).Average();
        BestMean = Math.Max(BestMean, mean);
        if (mean >= _target && SolvedAtStep is null)
        {
            SolvedAtStep = episode.Step;
            _solved.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var envs in _envs)
        {
            envs.Dispose();
        }

        _solved.Dispose();
    }
}

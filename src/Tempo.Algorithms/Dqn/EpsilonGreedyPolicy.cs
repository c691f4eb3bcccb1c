using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Dqn;

/// <summary>DQN's acting policy: with probability ε a uniformly random action, else argmax Q (dqn.py), ε falling linearly with the env steps it has acted; evaluation acts greedily.</summary>
/// <remarks>
/// ε follows dqn.py's <c>linear_schedule</c> over the env steps this policy has chosen actions for (dqn.py's
/// <c>global_step</c> with one env and one actor); set <see cref="Steps"/> when resuming. Log-probabilities are
/// reported as 0 and values as max Q: nothing downstream of a replay learner reads them.
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
public class EpsilonGreedyPolicy<TObservation> : IPolicy<TObservation, int>
    where TObservation : unmanaged
{
    private readonly IQNetwork<TObservation> _network;
    private readonly ParameterSet _weights;
    private readonly DqnOptions _options;
    private readonly long _totalTimesteps;
    private readonly Random _random;

    /// <summary>Acts with <paramref name="network"/> (the policy's own copy, loaded from snapshots).</summary>
    /// <param name="network">The acting network; a learner's snapshot must have its weight count.</param>
    /// <param name="options">The ε schedule's settings.</param>
    /// <param name="totalTimesteps">The run's budget, over which ε falls.</param>
    /// <param name="random">Source of the exploration draws.</param>
    public EpsilonGreedyPolicy(IQNetwork<TObservation> network, DqnOptions options, long totalTimesteps, Random random)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalTimesteps);
        _totalTimesteps = totalTimesteps;
        _weights = new ParameterSet(network.Module.NamedParameters());
    }

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <summary>Env steps it has chosen actions for while sampling; ε is read from it.</summary>
    public long Steps { get; set; }

    /// <summary>ε for the next action.</summary>
    public double Epsilon => _options.EpsilonAt(Steps, _totalTimesteps);

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<TObservation> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        var q = Forward(observations, batch);
        var n = _network.Actions;
        var epsilon = Epsilon;
        for (var b = 0; b < batch; b++)
        {
            var row = q.Slice(b * n, n);
            var greedy = DqnLoss.ArgMax(row);
            actions[b] = selection == ActionSelection.Sample && _random.NextDouble() < epsilon ? _random.Next(n) : greedy;
            logProbs[b] = 0;
            values[b] = row[greedy];
        }

        if (selection == ActionSelection.Sample)
        {
            Steps += batch;
        }
    }

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<TObservation> observations, int batch, Span<float> values)
    {
        var q = Forward(observations, batch);
        var n = _network.Actions;
        for (var b = 0; b < batch; b++)
        {
            var row = q.Slice(b * n, n);
            values[b] = row[DqnLoss.ArgMax(row)];
        }
    }

    /// <inheritdoc/>
    public void Load(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _weights.LoadFrom(snapshot.Weights);
        Version = snapshot.Version;
    }

    private ReadOnlySpan<float> Forward(ReadOnlySpan<TObservation> observations, int batch) =>
        _network.Forward(observations[..(batch * _network.ObservationSize)], batch).Span;
}

/// <summary>DQN's acting policy over float vectors with dqn.py's <see cref="QNetwork"/>.</summary>
public sealed class EpsilonGreedyPolicy : EpsilonGreedyPolicy<float>
{
    /// <summary>Acts with <paramref name="network"/> (the policy's own copy, loaded from snapshots).</summary>
    /// <param name="network">The acting network; a learner's snapshot must have its weight count.</param>
    /// <param name="options">The ε schedule's settings.</param>
    /// <param name="totalTimesteps">The run's budget, over which ε falls.</param>
    /// <param name="random">Source of the exploration draws.</param>
    public EpsilonGreedyPolicy(QNetwork network, DqnOptions options, long totalTimesteps, Random random)
        : base(network, options, totalTimesteps, random)
    {
    }
}

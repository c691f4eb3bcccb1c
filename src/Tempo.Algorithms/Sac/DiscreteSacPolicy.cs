using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Distributions;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>Discrete SAC's acting policy: uniformly random actions until <c>learning-starts</c> env steps, then a draw from the actor's categorical distribution (sac_atari.py); evaluation takes the most probable action.</summary>
/// <remarks>Set <see cref="Steps"/> when resuming. Log-probabilities and values are reported as 0: nothing downstream of a replay learner reads them.</remarks>
public sealed class DiscreteSacPolicy : IPolicy<float, int>
{
    private readonly Module _actor;
    private readonly int _observationSize;
    private readonly int _actions;
    private readonly ParameterSet _weights;
    private readonly DiscreteSacOptions _options;
    private readonly Random _random;
    private readonly Tensor _input;

    /// <summary>Acts with <paramref name="actor"/> (the policy's own copy, loaded from snapshots).</summary>
    /// <param name="actor">Observations to logits; a learner's snapshot must have its weight count.</param>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actions">Discrete actions.</param>
    /// <param name="options">The settings (learning-starts).</param>
    /// <param name="random">Source of the draws.</param>
    public DiscreteSacPolicy(Module actor, int observationSize, int actions, DiscreteSacOptions options, Random random)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        _observationSize = observationSize;
        _actions = actions;
        _weights = new ParameterSet(actor.NamedParameters());
        _input = new Tensor(1, observationSize);
    }

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <summary>Env steps it has chosen actions for while sampling; it acts at random until learning-starts.</summary>
    public long Steps { get; set; }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        logProbs[..batch].Clear();
        values[..batch].Clear();
        if (selection == ActionSelection.Sample && Steps < _options.LearningStarts)
        {
            for (var b = 0; b < batch; b++)
            {
                actions[b] = _random.Next(_actions);
            }

            Steps += batch;
            return;
        }

        _input.Reshape(batch, _observationSize);
        observations[.._input.Length].CopyTo(_input.Span);
        var logits = _actor.Forward(_input).Span;
        if (selection == ActionSelection.Deterministic)
        {
            for (var b = 0; b < batch; b++)
            {
                actions[b] = DqnLoss.ArgMax(logits.Slice(b * _actions, _actions));
            }

            return;
        }

        Categorical.Sample(logits, _actions, _random, actions[..batch]);
        Steps += batch;
    }

    /// <inheritdoc/>
    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) => values[..batch].Clear();

    /// <inheritdoc/>
    public void Load(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _weights.LoadFrom(snapshot.Weights);
        Version = snapshot.Version;
    }
}

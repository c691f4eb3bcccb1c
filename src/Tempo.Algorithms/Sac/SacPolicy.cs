using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>SAC's acting policy: uniform random actions from the box until <c>learning-starts</c> env steps, then the actor's squashed Gaussian sample (the script); evaluation acts with tanh(mean).</summary>
/// <remarks>Set <see cref="Steps"/> when resuming. Log-probabilities and values are reported as 0: nothing downstream of a replay learner reads them.</remarks>
public sealed class SacPolicy : IPolicy<float, float>
{
    private readonly SacActor _actor;
    private readonly ParameterSet _weights;
    private readonly SacOptions _options;
    private readonly Random _random;
    private readonly float[] _scale;
    private readonly float[] _bias;
    private readonly Tensor _input;
    private float[] _noise = [];
    private float[] _squashed = [];
    private float[] _logProbs = [];

    /// <summary>Acts with <paramref name="actor"/> (the policy's own copy, loaded from snapshots).</summary>
    /// <param name="actor">The acting network; a learner's snapshot must have its weight count.</param>
    /// <param name="actionLow">The action box's lower bounds.</param>
    /// <param name="actionHigh">The action box's upper bounds.</param>
    /// <param name="options">SAC settings (learning-starts).</param>
    /// <param name="random">Source of the exploration draws.</param>
    public SacPolicy(SacActor actor, ReadOnlySpan<float> actionLow, ReadOnlySpan<float> actionHigh, SacOptions options, Random random)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        (_scale, _bias) = SacLearner.ActionBox(actionLow, actionHigh, actor.ActionSize);
        _weights = new ParameterSet(actor.NamedParameters());
        _input = new Tensor(1, actor.ObservationSize);
    }

    /// <inheritdoc/>
    public PolicyVersion Version { get; private set; }

    /// <summary>Env steps it has chosen actions for while sampling; it acts at random until learning-starts.</summary>
    public long Steps { get; set; }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<float> actions, Span<float> logProbs, Span<float> values)
    {
        var n = _actor.ActionSize;
        logProbs[..batch].Clear();
        values[..batch].Clear();
        if (selection == ActionSelection.Sample && Steps < _options.LearningStarts)
        {
            for (var i = 0; i < batch * n; i++)
            {
                var j = i % n;
                actions[i] = _bias[j] + (_scale[j] * (float)((2.0 * _random.NextDouble()) - 1.0));
            }

            Steps += batch;
            return;
        }

        _input.Reshape(batch, _actor.ObservationSize);
        observations[.._input.Length].CopyTo(_input.Span);
        var meanLogStd = _actor.Forward(_input).Span;
        if (selection == ActionSelection.Deterministic)
        {
            SquashedGaussian.Mean(meanLogStd, _scale, _bias, batch, actions);
            return;
        }

        if (_noise.Length < batch * n)
        {
            _noise = new float[batch * n];
            _squashed = new float[batch * n];
            _logProbs = new float[batch];
        }

        for (var i = 0; i < batch * n; i++)
        {
            _noise[i] = (float)NextNormal();
        }

        SquashedGaussian.Sample(meanLogStd, _noise.AsSpan(0, batch * n), _scale, _bias, _squashed.AsSpan(0, batch * n), actions[..(batch * n)], _logProbs.AsSpan(0, batch));
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

    private double NextNormal()
    {
        // Box–Muller; the policy's Random is any System.Random, so it draws its own normals.
        var u = 1.0 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}

using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Experience;

/// <summary>Segments laid side by side along the env axis into one time-major <c>[T, N]</c> batch, plus GAE's outputs.</summary>
/// <remarks>Buffers grow to the largest batch seen and are then reused: gathering allocates nothing in steady state.</remarks>
internal sealed class RolloutBatch<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly int _observationSize;
    private readonly int _actionSize;
    private TObservation[] _observations = [];
    private TObservation[] _finalObservations = [];
    private TObservation[] _bootstrapObservations = [];
    private TAction[] _actions = [];
    private float[] _rewards = [];
    private float[] _values = [];
    private float[] _logProbs = [];
    private float[] _truncationValues = [];
    private float[] _bootstrapValues = [];
    private float[] _advantages = [];
    private float[] _returns = [];
    private bool[] _terminated = [];
    private bool[] _truncated = [];
    private int[] _indices = [];
    private TObservation[] _truncatedObservations = [];
    private float[] _truncatedValues = [];

    public RolloutBatch(int observationSize, int actionSize)
    {
        _observationSize = observationSize;
        _actionSize = actionSize;
    }

    public int Steps { get; private set; }

    public int Envs { get; private set; }

    public int Transitions => Steps * Envs;

    public int ObservationSize => _observationSize;

    public int ActionSize => _actionSize;

    public Span<TObservation> Observations => _observations.AsSpan(0, Transitions * _observationSize);

    /// <summary>The observations truncated episodes were cut at, <c>[T, N, observationSize]</c>; meaningful only where truncated.</summary>
    public Span<TObservation> FinalObservations => _finalObservations.AsSpan(0, Transitions * _observationSize);

    public Span<TAction> Actions => _actions.AsSpan(0, Transitions * _actionSize);

    public Span<float> Rewards => _rewards.AsSpan(0, Transitions);

    /// <summary>Behaviour values V(s_t) recorded when acting.</summary>
    public Span<float> Values => _values.AsSpan(0, Transitions);

    /// <summary>Behaviour log-probabilities recorded when acting.</summary>
    public Span<float> LogProbs => _logProbs.AsSpan(0, Transitions);

    public Span<bool> Terminated => _terminated.AsSpan(0, Transitions);

    public Span<bool> Truncated => _truncated.AsSpan(0, Transitions);

    public Span<float> TruncationValues => _truncationValues.AsSpan(0, Transitions);

    public Span<TObservation> BootstrapObservations => _bootstrapObservations.AsSpan(0, Envs * _observationSize);

    public Span<float> BootstrapValues => _bootstrapValues.AsSpan(0, Envs);

    public Span<float> Advantages => _advantages.AsSpan(0, Transitions);

    public Span<float> Returns => _returns.AsSpan(0, Transitions);

    /// <summary>A scratch permutation of <c>0 … Transitions − 1</c> for minibatch shuffles.</summary>
    public int[] Indices => _indices;

    public void Gather(IReadOnlyList<Segment<TObservation, TAction>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            throw new ArgumentException("A learner update needs at least one segment.", nameof(segments));
        }

        var steps = segments[0].Layout.Steps;
        var envs = 0;

        // Indexed loops: a foreach over the interface would allocate an enumerator on every update.
        for (var k = 0; k < segments.Count; k++)
        {
            var segment = segments[k];
            var layout = segment.Layout;
            if (layout.Steps != steps || layout.ObservationSize != _observationSize || layout.ActionSize != _actionSize)
            {
                throw new ArgumentException(
                    $"Segment from {segment.Actor} has layout {layout}; this batch needs {steps} steps, observations of {_observationSize} and actions of {_actionSize}.",
                    nameof(segments));
            }

            envs += layout.Envs;
        }

        Resize(steps, envs);
        var offset = 0;
        for (var k = 0; k < segments.Count; k++)
        {
            var segment = segments[k];
            var n = segment.Layout.Envs;
            for (var t = 0; t < steps; t++)
            {
                var from = t * n;
                var to = (t * envs) + offset;
                segment.Observations.Slice(from * _observationSize, n * _observationSize).CopyTo(_observations.AsSpan(to * _observationSize));
                segment.FinalObservations.Slice(from * _observationSize, n * _observationSize).CopyTo(_finalObservations.AsSpan(to * _observationSize));
                segment.Actions.Slice(from * _actionSize, n * _actionSize).CopyTo(_actions.AsSpan(to * _actionSize));
                segment.Rewards.Slice(from, n).CopyTo(_rewards.AsSpan(to));
                segment.BehaviourValues.Slice(from, n).CopyTo(_values.AsSpan(to));
                segment.BehaviourLogProbs.Slice(from, n).CopyTo(_logProbs.AsSpan(to));
                segment.Terminated.Slice(from, n).CopyTo(_terminated.AsSpan(to));
                segment.Truncated.Slice(from, n).CopyTo(_truncated.AsSpan(to));
            }

            segment.BootstrapObservations.CopyTo(_bootstrapObservations.AsSpan(offset * _observationSize));
            offset += n;
        }

        for (var i = 0; i < Transitions; i++)
        {
            _indices[i] = i;
        }
    }

    /// <summary>Fills <see cref="TruncationValues"/> with V(final observation) for every truncated, non-terminated step, in one batch.</summary>
    public void EstimateTruncationValues(IPolicy<TObservation, TAction> policy)
    {
        var count = 0;
        for (var i = 0; i < Transitions; i++)
        {
            if (_truncated[i] && !_terminated[i])
            {
                count++;
            }
        }

        if (count == 0)
        {
            return;
        }

        Grow(ref _truncatedObservations, count * _observationSize);
        Grow(ref _truncatedValues, count);
        var k = 0;
        for (var i = 0; i < Transitions; i++)
        {
            if (_truncated[i] && !_terminated[i])
            {
                _finalObservations.AsSpan(i * _observationSize, _observationSize).CopyTo(_truncatedObservations.AsSpan(k * _observationSize));
                k++;
            }
        }

        policy.EstimateValues(_truncatedObservations, count, _truncatedValues);
        k = 0;
        for (var i = 0; i < Transitions; i++)
        {
            if (_truncated[i] && !_terminated[i])
            {
                _truncationValues[i] = _truncatedValues[k++];
            }
        }
    }

    private void Resize(int steps, int envs)
    {
        Steps = steps;
        Envs = envs;
        var transitions = steps * envs;
        Grow(ref _observations, transitions * _observationSize);
        Grow(ref _finalObservations, transitions * _observationSize);
        Grow(ref _bootstrapObservations, envs * _observationSize);
        Grow(ref _actions, transitions * _actionSize);
        Grow(ref _rewards, transitions);
        Grow(ref _values, transitions);
        Grow(ref _logProbs, transitions);
        Grow(ref _truncationValues, transitions);
        Grow(ref _bootstrapValues, envs);
        Grow(ref _advantages, transitions);
        Grow(ref _returns, transitions);
        Grow(ref _terminated, transitions);
        Grow(ref _truncated, transitions);
        if (_indices.Length != transitions)
        {
            _indices = new int[transitions];
        }
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[length];
        }
    }
}

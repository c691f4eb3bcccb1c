using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Tests.TestDoubles;

/// <summary>A softmax policy and value table indexed by the observation's single element: every number is set by hand, and every call is recorded.</summary>
internal sealed class TabularActorCritic : IActorCritic<float, int>
{
    private readonly Parameter _logits;
    private readonly Parameter _values;
    private readonly Random _random;
    private int[] _states = [];
    private int[] _actions = [];

    public TabularActorCritic(int states, int actions, Random? random = null)
    {
        States = states;
        ActionCount = actions;
        _logits = new Parameter("logits", states, actions);
        _values = new Parameter("values", states);
        NamedParameters = [new NamedParameter("logits", _logits), new NamedParameter("values", _values)];
        _random = random ?? new Random(0);
    }

    public int States { get; }

    public int ActionCount { get; }

    public int ObservationSize => 1;

    public int ActionSize => 1;

    public PolicyVersion Version { get; private set; }

    public IReadOnlyList<NamedParameter> NamedParameters { get; }

    public int WeightCount => _logits.Value.Length + _values.Value.Length;

    /// <summary>The observations of every <see cref="Evaluate"/> call, in order.</summary>
    public List<float[]> EvaluatedObservations { get; } = [];

    /// <summary>The observations of every <see cref="EstimateValues"/> call, in order.</summary>
    public List<float[]> EstimatedObservations { get; } = [];

    public float[] LastLogProbGradients { get; private set; } = [];

    public float[] LastEntropyGradients { get; private set; } = [];

    public float[] LastValueGradients { get; private set; } = [];

    /// <summary>Sets π(· | state) to <paramref name="probabilities"/> (logits are their logs).</summary>
    public void SetPolicy(int state, params float[] probabilities)
    {
        for (var a = 0; a < ActionCount; a++)
        {
            _logits.Value.Span[(state * ActionCount) + a] = MathF.Log(probabilities[a]);
        }
    }

    /// <summary>Distinct, uneven policies and values per state, so that mix-ups show.</summary>
    public void InitializeDistinct()
    {
        for (var s = 0; s < States; s++)
        {
            var p = 0.2f + (0.6f * s / States);
            SetPolicy(s, p, 1 - p);
            SetValue(s, (0.3f * (s % 5)) - 0.4f);
        }
    }

    /// <summary>V of every state, indexed by state id.</summary>
    public float[] ValuesByState() => _values.Value.Span.ToArray();

    /// <summary>Inverts a value-loss gradient c · (V − v_s) / B of the last backward pass into v_s, keyed by state id.</summary>
    /// <param name="valuesBefore">V per state when the loss was evaluated (before the optimizer step).</param>
    /// <param name="coefficient">The value loss coefficient c.</param>
    public Dictionary<int, float> ValueTargetsFromLastGradients(float[] valuesBefore, double coefficient)
    {
        var observations = EvaluatedObservations[^1];
        var batch = observations.Length;
        var targets = new Dictionary<int, float>();
        for (var j = 0; j < batch; j++)
        {
            var state = (int)observations[j];
            targets[state] = valuesBefore[state] - (LastValueGradients[j] * batch / (float)coefficient);
        }

        return targets;
    }

    public void SetValue(int state, float value) => _values.Value.Span[state] = value;

    public float Value(int state) => _values.Value.Span[state];

    public float Probability(int state, int action)
    {
        Span<float> p = stackalloc float[ActionCount];
        Softmax(state, p);
        return p[action];
    }

    public float LogProb(int state, int action) => MathF.Log(Probability(state, action));

    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        Span<float> p = stackalloc float[ActionCount];
        for (var i = 0; i < batch; i++)
        {
            var state = (int)observations[i];
            Softmax(state, p);
            var action = 0;
            if (selection == ActionSelection.Sample)
            {
                var u = _random.NextDouble();
                while (action < ActionCount - 1 && (u -= p[action]) > 0)
                {
                    action++;
                }
            }
            else
            {
                for (var a = 1; a < ActionCount; a++)
                {
                    action = p[a] > p[action] ? a : action;
                }
            }

            actions[i] = action;
            logProbs[i] = MathF.Log(p[action]);
            values[i] = _values.Value.Span[state];
        }
    }

    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values)
    {
        EstimatedObservations.Add(observations[..batch].ToArray());
        for (var i = 0; i < batch; i++)
        {
            values[i] = _values.Value.Span[(int)observations[i]];
        }
    }

    public void Evaluate(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        EvaluatedObservations.Add(observations[..batch].ToArray());
        _states = new int[batch];
        _actions = actions[..batch].ToArray();
        Span<float> p = stackalloc float[ActionCount];
        for (var i = 0; i < batch; i++)
        {
            var state = (int)observations[i];
            _states[i] = state;
            Softmax(state, p);
            logProbs[i] = MathF.Log(p[_actions[i]]);
            var h = 0f;
            foreach (var q in p)
            {
                h -= q * MathF.Log(q);
            }

            entropy[i] = h;
            values[i] = _values.Value.Span[state];
        }
    }

    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        var batch = _states.Length;
        LastLogProbGradients = logProbGradients[..batch].ToArray();
        LastEntropyGradients = entropyGradients[..batch].ToArray();
        LastValueGradients = valueGradients[..batch].ToArray();
        Span<float> p = stackalloc float[ActionCount];
        var logitGradients = _logits.Gradient.Span;
        for (var i = 0; i < batch; i++)
        {
            var state = _states[i];
            Softmax(state, p);
            var h = 0f;
            foreach (var q in p)
            {
                h -= q * MathF.Log(q);
            }

            for (var j = 0; j < ActionCount; j++)
            {
                // ∂log p_a/∂z_j = 1[j = a] − p_j; ∂H/∂z_j = −p_j (log p_j + H).
                var dLogProb = (j == _actions[i] ? 1f : 0f) - p[j];
                var dEntropy = -p[j] * (MathF.Log(p[j]) + h);
                logitGradients[(state * ActionCount) + j] += (logProbGradients[i] * dLogProb) + (entropyGradients[i] * dEntropy);
            }

            _values.Gradient.Span[state] += valueGradients[i];
        }
    }

    public void CopyWeightsTo(Span<float> destination)
    {
        _logits.Value.Span.CopyTo(destination);
        _values.Value.Span.CopyTo(destination[_logits.Value.Length..]);
    }

    public void Load(PolicySnapshot snapshot)
    {
        var weights = snapshot.Weights;
        weights[.._logits.Value.Length].CopyTo(_logits.Value.Span);
        weights[_logits.Value.Length..].CopyTo(_values.Value.Span);
        Version = snapshot.Version;
    }

    public void SetVersion(PolicyVersion version) => Version = version;

    private void Softmax(int state, Span<float> p)
    {
        var logits = _logits.Value.Span.Slice(state * ActionCount, ActionCount);
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = MathF.Max(max, z);
        }

        var sum = 0f;
        for (var j = 0; j < ActionCount; j++)
        {
            p[j] = MathF.Exp(logits[j] - max);
            sum += p[j];
        }

        for (var j = 0; j < ActionCount; j++)
        {
            p[j] /= sum;
        }
    }
}

using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Tests.Ppo;

/// <summary>An actor-critic whose outputs are fixed functions of the observation, recording what the learner asks of it.</summary>
/// <remarks>
/// For observation <c>[d, v]</c>: log π(a | s) = ln(1 + d), so against a behaviour log-probability of 0 the
/// probability ratio is exactly <c>1 + d</c>; V(s) = v; entropy 0.5. It has one parameter that never moves,
/// so every update sees the same outputs and the learner's schedules can be read off its statistics.
/// </remarks>
internal sealed class FakeActorCritic : IActorCritic<float, int>
{
    private readonly Parameter _weight = new("weight", 1);
    private float[] _evaluated = [];

    public int ObservationSize => 2;

    public int ActionSize => 1;

    public PolicyVersion Version { get; private set; }

    public IReadOnlyList<NamedParameter> NamedParameters => [new NamedParameter("weight", _weight)];

    public int WeightCount => 1;

    public int EvaluateCalls { get; private set; }

    /// <summary>Per Backward call: the observations of the minibatch and the value gradients it received.</summary>
    public List<(float[] Observations, float[] ValueGradients)> Backwards { get; } = [];

    public static float LogProbFor(float d) => MathF.Log(1f + d);

    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        for (var i = 0; i < batch; i++)
        {
            actions[i] = 0;
            logProbs[i] = LogProbFor(observations[2 * i]);
            values[i] = observations[(2 * i) + 1];
        }
    }

    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values)
    {
        for (var i = 0; i < batch; i++)
        {
            values[i] = observations[(2 * i) + 1];
        }
    }

    public void Evaluate(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int batch, Span<float> logProbs, Span<float> entropy, Span<float> values)
    {
        EvaluateCalls++;
        _evaluated = observations[..(2 * batch)].ToArray();
        for (var i = 0; i < batch; i++)
        {
            logProbs[i] = LogProbFor(observations[2 * i]);
            entropy[i] = 0.5f;
            values[i] = observations[(2 * i) + 1];
        }
    }

    public void Backward(ReadOnlySpan<float> logProbGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
        Backwards.Add((_evaluated, valueGradients.ToArray()));

    public void CopyWeightsTo(Span<float> destination) => _weight.Value.Span.CopyTo(destination);

    public void Load(PolicySnapshot snapshot)
    {
        snapshot.Weights.CopyTo(_weight.Value.Span);
        Version = snapshot.Version;
    }

    public void SetVersion(PolicyVersion version) => Version = version;
}

using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>A policy whose outputs are simple functions of the observation, so a segment's contents can be checked by hand.</summary>
/// <remarks>For observation <c>[a, b]</c>: action <c>b mod 2</c>, log-probability <c>−b / 1000</c>, value <c>a + b / 2</c>.</remarks>
internal sealed class ScriptedPolicy : IPolicy<float, int>
{
    public PolicyVersion Version { get; set; }

    public List<float[]> ActedOn { get; } = [];

    public static int ActionFor(float b) => (int)b % 2;

    public static float LogProbFor(float b) => -b / 1000f;

    public static float ValueFor(float a, float b) => a + (b / 2f);

    public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values)
    {
        ActedOn.Add(observations[..(batch * 2)].ToArray());
        for (var i = 0; i < batch; i++)
        {
            var (a, b) = (observations[2 * i], observations[(2 * i) + 1]);
            actions[i] = ActionFor(b);
            logProbs[i] = LogProbFor(b);
            values[i] = ValueFor(a, b);
        }
    }

    public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) =>
        throw new NotSupportedException("An actor does not estimate values.");

    public void Load(PolicySnapshot snapshot) => Version = snapshot.Version;
}

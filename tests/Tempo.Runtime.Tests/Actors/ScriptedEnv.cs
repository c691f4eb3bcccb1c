using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>An env whose episodes last a fixed number of steps and then terminate or are truncated.</summary>
/// <remarks>
/// Observations are <c>[index + 1, 100 · episode + step in episode]</c>; the reward of the k-th step of an
/// episode is <c>10 · index + k</c>. Both are easy to write down by hand for a test's expected values.
/// </remarks>
internal sealed class ScriptedEnv : Env<float, int>
{
    private readonly int _episodeLength;
    private readonly bool _truncates;
    private int _episode = -1;
    private int _step;

    public ScriptedEnv(int index, int episodeLength, bool truncates)
        : base(new BoxSpace<float>(-1e6f, 1e6f, 2), new DiscreteSpace(2))
    {
        Index = index;
        _episodeLength = episodeLength;
        _truncates = truncates;
    }

    public int Index { get; }

    protected override void ResetCore(Span<float> observation)
    {
        _episode++;
        _step = 0;
        Write(observation);
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        _step++;
        Write(observation);
        var ends = _step == _episodeLength;
        return new StepResult((10 * Index) + _step, Terminated: ends && !_truncates, Truncated: ends && _truncates);
    }

    private void Write(Span<float> observation)
    {
        observation[0] = Index + 1;
        observation[1] = (100 * _episode) + _step;
    }
}

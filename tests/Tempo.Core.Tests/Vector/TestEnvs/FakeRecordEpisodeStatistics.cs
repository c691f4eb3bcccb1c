using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Vector.TestEnvs;

/// <summary>Stands in for the RecordEpisodeStatistics wrapper: attaches return and length to the step that ends an episode.</summary>
internal sealed class FakeRecordEpisodeStatistics(IEnv<float, int> inner) : EnvWrapper<float, int>(inner)
{
    private double _return;
    private int _length;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        _return = 0;
        _length = 0;
        Inner.Reset(observation, seed);
    }

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        var result = Inner.Step(action, observation);
        _return += result.Reward;
        _length++;
        return result.IsDone ? result with { Episode = new EpisodeStatistics(_return, _length, WallTimeSeconds: 0) } : result;
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// Counts steps and terminates after a fixed number of them. Observation: [steps taken, last action (−1 after reset),
/// a seeded random number in [0, 1) drawn at reset]. Reward of step t (1-based) is <c>rewards[(t − 1) % rewards.Length]</c>, default 1.
/// </summary>
public sealed class CountingEnv : Env<float, int>
{
    private readonly float[] _rewards;
    private int _steps;
    private float _resetNoise;

    public CountingEnv(int episodeLength = 5, int actionCount = 3, float[]? rewards = null, int actionStart = 0)
        : base(
            new BoxSpace<float>([0f, Math.Min(-1f, actionStart), 0f], [episodeLength, actionStart + actionCount - 1, 1f]),
            new DiscreteSpace(actionCount, actionStart))
    {
        EpisodeLength = episodeLength;
        _rewards = rewards ?? [1f];
    }

    public int EpisodeLength { get; }

    public int ResetCount { get; private set; }

    public int TotalSteps { get; private set; }

    public int LastAction { get; private set; } = -1;

    public bool IsDisposed { get; private set; }

    protected override void ResetCore(Span<float> observation)
    {
        ResetCount++;
        _steps = 0;
        LastAction = -1;
        _resetNoise = Random.NextSingle();
        Write(observation);
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        _steps++;
        TotalSteps++;
        LastAction = action[0];
        Write(observation);
        return new StepResult(_rewards[(_steps - 1) % _rewards.Length], Terminated: _steps >= EpisodeLength, Truncated: false);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private void Write(Span<float> observation)
    {
        observation[0] = _steps;
        observation[1] = LastAction;
        observation[2] = _resetNoise;
    }
}

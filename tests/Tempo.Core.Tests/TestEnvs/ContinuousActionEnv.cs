using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// A float-action env that remembers the actions it received (as given, unclipped). Observation: [steps taken, first
/// action element]. Reward 0; terminates after a fixed number of steps.
/// </summary>
public sealed class ContinuousActionEnv : Env<float, float>
{
    private readonly bool _recordHistory;
    private readonly float[] _lastAction;
    private int _steps;

    public ContinuousActionEnv(float[] low, float[] high, int episodeLength = 10, bool recordHistory = true)
        : base(new BoxSpace<float>(0f, 1e6f, 2), new BoxSpace<float>(low, high))
    {
        EpisodeLength = episodeLength;
        _recordHistory = recordHistory;
        _lastAction = new float[low.Length];
    }

    public int EpisodeLength { get; }

    public List<float[]> ReceivedActions { get; } = [];

    public ReadOnlySpan<float> LastAction => _lastAction;

    public bool IsDisposed { get; private set; }

    protected override void ResetCore(Span<float> observation)
    {
        _steps = 0;
        observation[0] = 0;
        observation[1] = 0;
    }

    protected override StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        _steps++;
        action.CopyTo(_lastAction);
        if (_recordHistory)
        {
            ReceivedActions.Add(action.ToArray());
        }

        observation[0] = _steps;
        observation[1] = Math.Clamp(action[0], 0f, 1e6f);
        return new StepResult(0f, Terminated: _steps >= EpisodeLength, Truncated: false);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}

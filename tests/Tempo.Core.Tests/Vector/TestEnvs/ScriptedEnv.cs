using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Vector.TestEnvs;

/// <summary>
/// A deterministic env whose observation tells its history: [reset value drawn from the seed, steps taken, last action].
/// Episodes terminate after a length drawn from the seed in [minLength, maxLength].
/// </summary>
internal sealed class ScriptedEnv : Env<float, int>
{
    public const int ObservationSize = 3;
    public const int ActionCount = 3;

    private readonly int _minLength;
    private readonly int _maxLength;
    private float _resetValue;
    private int _length;
    private int _steps;

    public ScriptedEnv(int minLength = 2, int maxLength = 7, int actionCount = ActionCount, int observationSize = ObservationSize)
        : base(new BoxSpace<float>(float.NegativeInfinity, float.PositiveInfinity, observationSize), new DiscreteSpace(actionCount))
    {
        _minLength = minLength;
        _maxLength = maxLength;
    }

    /// <summary>The reward of step <paramref name="step"/> (1-based) of an episode when taking <paramref name="action"/>.</summary>
    public static float RewardFor(int action, int step) => action + (0.25f * step);

    protected override void ResetCore(Span<float> observation)
    {
        _resetValue = Random.NextSingle();
        _length = Random.Next(_minLength, _maxLength + 1);
        _steps = 0;
        observation.Clear();
        observation[0] = _resetValue;
        observation[1] = 0;
        observation[2] = -1;
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        _steps++;
        observation.Clear();
        observation[0] = _resetValue;
        observation[1] = _steps;
        observation[2] = action[0];
        return new StepResult(RewardFor(action[0], _steps), Terminated: _steps >= _length, Truncated: false);
    }
}

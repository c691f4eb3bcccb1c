using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// Plays back a fixed script of step results (rewards and flags), one per step, continuing across resets;
/// the observation is [steps played so far]. Stepping past the end of the script throws.
/// </summary>
public sealed class ScriptedEnv : Env<float, int>
{
    private readonly StepResult[] _script;
    private int _cursor;

    public ScriptedEnv(params StepResult[] script)
        : base(new BoxSpace<float>(0f, 1e6f, 1), new DiscreteSpace(2))
    {
        _script = script;
    }

    public static StepResult Reward(float reward) => new(reward, false, false);

    public static StepResult Terminal(float reward) => new(reward, true, false);

    public static StepResult Truncation(float reward) => new(reward, false, true);

    protected override void ResetCore(Span<float> observation)
    {
        observation[0] = _cursor;
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        var result = _script[_cursor];
        _cursor++;
        observation[0] = _cursor;
        return result;
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Envs.Registry;

/// <summary>A user-defined env for registry tests: observes its step count, never terminates.</summary>
internal sealed class CountingEnv() : Env<float, int>(new BoxSpace<float>(0f, float.MaxValue, 1), new DiscreteSpace(2))
{
    private int _steps;

    protected override void ResetCore(Span<float> observation)
    {
        _steps = 0;
        observation[0] = 0;
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        observation[0] = ++_steps;
        return new StepResult(action[0], false, false);
    }
}

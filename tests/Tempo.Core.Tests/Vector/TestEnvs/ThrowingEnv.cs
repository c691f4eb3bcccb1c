using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Vector.TestEnvs;

/// <summary>Throws from the n-th call to Step or Reset (counted over the env's lifetime), to test error propagation.</summary>
internal sealed class ThrowingEnv(IEnv<float, int> inner, int failOnStep = int.MaxValue, int failOnReset = int.MaxValue)
    : EnvWrapper<float, int>(inner)
{
    public const string Message = "simulator crashed";

    private int _steps;
    private int _resets;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        if (++_resets == failOnReset)
        {
            throw new IOException(Message);
        }

        Inner.Reset(observation, seed);
    }

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        if (++_steps == failOnStep)
        {
            throw new IOException(Message);
        }

        return Inner.Step(action, observation);
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Vector.TestEnvs;

/// <summary>Makes a simulator split-steppable: Submit keeps the action, Wait steps with it. Every call is logged, with the env's name, into a log shared by envs (when given).</summary>
internal sealed class SplitSteppingEnv(IEnv<float, int> inner, string name, List<string>? log) : EnvWrapper<float, int>(inner)
{
    private readonly int[] _submitted = new int[inner.ActionSpace.FlatSize];

    public override bool CanSplitStep => true;

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        log?.Add($"step {name}");
        return Inner.Step(action, observation);
    }

    public override void Submit(ReadOnlySpan<int> action)
    {
        log?.Add($"submit {name}");
        action.CopyTo(_submitted);
    }

    public override StepResult Wait(Span<float> observation)
    {
        log?.Add($"wait {name}");
        return Inner.Step(_submitted, observation);
    }
}

/// <summary>A wrapper that changes nothing and does not opt in to split stepping, so a vector over it steps sequentially.</summary>
internal sealed class SequentialOnly<TObservation, TAction>(IEnv<TObservation, TAction> inner) : EnvWrapper<TObservation, TAction>(inner)
    where TObservation : unmanaged
    where TAction : unmanaged;

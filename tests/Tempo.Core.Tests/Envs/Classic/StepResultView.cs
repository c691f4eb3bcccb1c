using Tempo.Core.Envs;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>The three fields of a <see cref="StepResult"/> an env sets, for compact equality assertions.</summary>
internal readonly record struct StepResultView(float Reward, bool Terminated, bool Truncated)
{
    public static StepResultView Of(StepResult result) => new(result.Reward, result.Terminated, result.Truncated);
}

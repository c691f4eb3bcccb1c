using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Runs the given delegates at the update hooks.</summary>
internal sealed class DelegateCallbacks(Action<UpdateStarting>? starting = null, Action<UpdateFinished>? finished = null) : ITrainingCallbacks
{
    public void OnUpdateStarting(in UpdateStarting update) => starting?.Invoke(update);

    public void OnUpdateFinished(in UpdateFinished update) => finished?.Invoke(update);
}

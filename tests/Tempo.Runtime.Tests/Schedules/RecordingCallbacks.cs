using Tempo.Runtime.Schedules;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Logs the schedule's hooks, with their arguments, into the shared log.</summary>
internal sealed class RecordingCallbacks(CallLog log) : ITrainingCallbacks
{
    public List<UpdateStarting> UpdatesStarting { get; } = [];

    public void OnRolloutEnded(in RolloutEnded rollout) => log.Add($"RolloutEnded({rollout.Iteration})");

    public void OnUpdateStarting(in UpdateStarting update)
    {
        UpdatesStarting.Add(update);
        log.Add($"UpdateStarting({update.Iteration})");
    }

    public void OnUpdateFinished(in UpdateFinished update) => log.Add($"UpdateFinished({update.Iteration})");
}

using System.Text.Json.Serialization;

namespace Tempo.Cli.Training;

/// <summary>The schedules <c>tempo train --schedule</c> offers.</summary>
internal enum TrainSchedule
{
    /// <summary>Collect, pause, train, resume.</summary>
    [JsonStringEnumMemberName("sync")]
    Sync,

    /// <summary>Actor threads act while the learner trains; segments cross a bounded channel.</summary>
    [JsonStringEnumMemberName("async")]
    Async,
}

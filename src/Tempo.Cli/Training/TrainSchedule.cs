namespace Tempo.Cli.Training;

/// <summary>The schedules <c>tempo train --schedule</c> offers.</summary>
internal enum TrainSchedule
{
    /// <summary>Collect, pause, train, resume.</summary>
    Sync,

    /// <summary>Actor threads act while the learner trains; segments cross a bounded channel.</summary>
    Async,
}

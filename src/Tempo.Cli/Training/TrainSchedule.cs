namespace Tempo.Cli.Training;

/// <summary>The schedules <c>tempo train --schedule</c> offers.</summary>
internal enum TrainSchedule
{
    /// <summary>Collect, pause, train, resume.</summary>
    Sync,
}

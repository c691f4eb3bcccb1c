namespace Tempo.Cli.Training;

/// <summary>The learning algorithms <c>tempo train --algo</c> offers.</summary>
internal enum TrainAlgorithm
{
    /// <summary>Proximal policy optimization.</summary>
    Ppo,
}

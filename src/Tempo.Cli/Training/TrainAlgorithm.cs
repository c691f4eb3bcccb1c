namespace Tempo.Cli.Training;

/// <summary>The learning algorithms <c>tempo train --algo</c> offers.</summary>
internal enum TrainAlgorithm
{
    /// <summary>Proximal policy optimization.</summary>
    Ppo,

    /// <summary>Asynchronous PPO: PPO's clipped surrogate on V-trace advantages and value targets.</summary>
    Appo,

    /// <summary>IMPALA: V-trace actor-critic.</summary>
    Impala,
}

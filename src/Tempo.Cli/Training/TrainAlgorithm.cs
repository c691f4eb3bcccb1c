using System.Text.Json.Serialization;

namespace Tempo.Cli.Training;

/// <summary>The learning algorithms <c>tempo train --algo</c> offers.</summary>
internal enum TrainAlgorithm
{
    /// <summary>Proximal policy optimization.</summary>
    [JsonStringEnumMemberName("ppo")]
    Ppo,

    /// <summary>Asynchronous PPO: PPO's clipped surrogate on V-trace advantages and value targets.</summary>
    [JsonStringEnumMemberName("appo")]
    Appo,

    /// <summary>IMPALA: V-trace actor-critic.</summary>
    [JsonStringEnumMemberName("impala")]
    Impala,
}

using System.Text.Json.Serialization;

namespace Tempo.Runtime.Runs;

/// <summary>Who runs when.</summary>
public enum ScheduleKind
{
    /// <summary>Collect a rollout, pause the envs if they can pause, train, resume (CleanRL, RLlib PPO).</summary>
    [JsonStringEnumMemberName("sync")]
    Synchronous,

    /// <summary>Actor threads act while the learner trains on what arrives (IMPALA, APPO, Sample Factory).</summary>
    [JsonStringEnumMemberName("async")]
    Asynchronous,
}

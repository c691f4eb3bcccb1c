using Tempo.Algorithms.Ppo;

namespace Tempo.Cli.Training;

/// <summary>Everything <c>tempo train</c> needs, after defaults, the config file and the flags were merged.</summary>
internal sealed record TrainSettings
{
    /// <summary>The env id.</summary>
    public required string Env { get; init; }

    /// <summary>The learning algorithm.</summary>
    public TrainAlgorithm Algo { get; init; } = TrainAlgorithm.Ppo;

    /// <summary>Who runs when.</summary>
    public TrainSchedule Schedule { get; init; } = TrainSchedule.Sync;

    /// <summary>Seed of envs, networks and shuffles.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where metrics, config and checkpoints go.</summary>
    public string RunDir { get; init; } = "runs/latest";

    /// <summary>Stop once the mean return of the last 20 episodes reaches this.</summary>
    public double? TargetReturn { get; init; }

    /// <summary>Pause envs that can pause while the learner trains (synchronous schedule).</summary>
    public bool Pause { get; init; } = true;

    /// <summary>Write a checkpoint every this many updates (and at the end).</summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>Actor threads of the asynchronous schedule, each with <c>num-envs</c> envs.</summary>
    public int NumActors { get; init; } = 2;

    /// <summary>Asynchronous schedule: drop segments whose behaviour policy lags the learner by more versions than this.</summary>
    public long MaxPolicyLag { get; init; } = 20;

    /// <summary>Asynchronous schedule: segments the actor-to-learner channel holds (the oldest is dropped when full).</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>V-trace's ρ̄ and c̄ (APPO, IMPALA).</summary>
    public double RhoBar { get; init; } = 1.0;

    /// <summary>World ticks per second of a live env (LiveCartPole-v1, LivePendulum-v1); null keeps the env's default.</summary>
    public double? TickRate { get; init; }

    /// <summary>PPO's hyperparameters; APPO and IMPALA read the ones of the same name.</summary>
    public required PpoOptions Ppo { get; init; }
}

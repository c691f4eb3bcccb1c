using Tempo.Core.Configuration;

namespace Tempo.Runtime.Runs;

/// <summary>Settings of the asynchronous schedule: how many actors, and what joins them to the learner.</summary>
/// <remarks>Each property binds to the config key and CLI flag of the same name in kebab-case.</remarks>
public sealed record AsynchronousOptions
{
    /// <summary>Actors, each on its own thread with <see cref="CollectionOptions.NumEnvs"/> envs.</summary>
    public int NumActors { get; init; } = 2;

    /// <summary>
    /// Segments per learner update (Sample Factory's batch of several rollouts): a batch holds
    /// <see cref="CollectionOptions.NumEnvs"/> × this many env trajectories. With one live game per actor a segment is a
    /// single trajectory, too small a batch for normalized advantages and minibatches; several segments, from whichever
    /// actors sent them, make one.
    /// </summary>
    public int SegmentsPerUpdate { get; init; } = 1;

    /// <summary>Segments the actor-to-learner channel holds before its full policy applies (live envs: drop the oldest; simulators: wait).</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>Segments whose behaviour policy lags the learner by more versions than this are dropped and counted.</summary>
    public long MaxPolicyLag { get; init; } = 20;

    /// <summary>How many times an actor that throws (its env crashed) is rebuilt with fresh envs before it stays down; the run goes on while any actor acts.</summary>
    public int MaxActorRestarts { get; init; } = 3;

    /// <summary>Send every segment and snapshot through the wire codecs in process (encode, validate, decode), as a fleet would: checks an env's segments (shapes, NaN) before it goes to other machines, at the cost of the encoding.</summary>
    public bool WireCheck { get; init; }

    /// <summary>Throws naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionError.Require(NumActors > 0, nameof(NumActors), NumActors, "must be positive");
        OptionError.Require(SegmentsPerUpdate > 0, nameof(SegmentsPerUpdate), SegmentsPerUpdate, "must be positive");
        OptionError.Require(QueueCapacity > 0, nameof(QueueCapacity), QueueCapacity, "must be positive");
        OptionError.Require(MaxActorRestarts >= 0, nameof(MaxActorRestarts), MaxActorRestarts, "must not be negative");
        OptionError.Require(MaxPolicyLag >= 0, nameof(MaxPolicyLag), MaxPolicyLag, "must not be negative");
    }
}

namespace Tempo.Runtime.Hosts;

/// <summary>Settings of an actor host.</summary>
public sealed record ActorHostOptions
{
    /// <summary>Steps per env in each segment (T).</summary>
    public required int StepsPerSegment { get; init; }

    /// <summary>Stop once this host's actors have taken this many env steps in total, or <see langword="null"/> to act until stopped.</summary>
    /// <remarks>A run that knows its budget where the actors are (in-process) stops them at it; each actor checks it before a segment, so the host overshoots by at most a segment per actor.</remarks>
    public long? TotalSteps { get; init; }

    /// <summary>How many times one actor may fail and be rebuilt; once an actor fails more often it stays down.</summary>
    public int MaxRestartsPerActor { get; init; }

    /// <summary>Run actor threads above normal priority, so that on a small machine actors keep their deadlines.</summary>
    public bool PrioritizeActors { get; init; } = true;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StepsPerSegment);
        if (TotalSteps is { } total)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total, nameof(TotalSteps));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRestartsPerActor);
    }
}

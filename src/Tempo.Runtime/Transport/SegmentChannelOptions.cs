namespace Tempo.Runtime.Transport;

/// <summary>Configuration of an in-process segment channel.</summary>
public sealed record SegmentChannelOptions
{
    /// <summary>The most segments the channel holds before <see cref="WhenFull"/> applies.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>What a write does when the channel is full.</summary>
    public QueueFullMode WhenFull { get; init; } = QueueFullMode.DropOldest;

    /// <summary>Throws with the offending value unless the capacity is positive and the full mode is defined.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Capacity);
        if (!Enum.IsDefined(WhenFull))
        {
            throw new ArgumentOutOfRangeException(nameof(WhenFull), WhenFull, "Unknown queue full mode.");
        }
    }
}

namespace Tempo.Runtime.Transport;

/// <summary>What a bounded segment queue does with a write when it is full.</summary>
public enum QueueFullMode
{
    /// <summary>
    /// Drop the oldest queued segment to make room, count it, and hand it to the drop callback (usually a pool's Return).
    /// Writers never wait: the choice for live envs, where a stalled actor is worse than stale data.
    /// </summary>
    DropOldest,

    /// <summary>Make the writer wait for space (cancellably); nothing is lost. The choice for simulators that can pause.</summary>
    Wait,
}

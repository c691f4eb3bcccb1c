using Tempo.Runtime.Threading;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Writes captured checkpoints on a background thread, one at a time, so the learner does not stall on serialization and disk.</summary>
/// <remarks>
/// The first save of a run also compiles the serializer (tens of milliseconds without tiered JIT); on two cores that
/// happens beside training instead of in it. A new write first waits for the previous one, so at most one image is
/// held and every checkpoint lands in order. A failed write is rethrown by the next call to <see cref="Write"/> or
/// <see cref="Flush"/>.
/// </remarks>
public sealed class BackgroundCheckpointWriter : IDisposable
{
    private Task _pending = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Checkpoints written so far.</summary>
    public int Written { get; private set; }

    /// <summary>Waits for the previous write (rethrowing its failure), then starts writing <paramref name="image"/> to <paramref name="path"/>.</summary>
    public void Write(string path, CheckpointImage image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Flush();
        _pending = Task.Factory.StartNew(
            () =>
            {
                // Below the learner and far below the actors: a checkpoint is never urgent. The thread ends with the
                // write, so its lowered nice value needs no restoring.
                Thread.CurrentThread.Priority = ThreadPriority.Lowest;
                _ = ThreadNiceness.Lower(ThreadNiceness.Background);
                CheckpointFile.Save(path, image.Checkpoint, image.Parameters, image.Optimizers);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Serializes <paramref name="image"/> to nowhere on the calling thread, so the serializer is compiled there and not later by the writer's low-priority thread.</summary>
    /// <remarks>
    /// Call it before live worlds start. Compiling on a thread at nice 19 holds the runtime's compiler and type-loader
    /// locks for as long as that thread goes without a core, and actors that need them wait: the first periodic
    /// checkpoint of a live run stretched the action gap to 30–60 ms before the serializer was compiled up front.
    /// </remarks>
    public static void WarmUp(CheckpointImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckpointFile.WriteTo(Stream.Null, image);
    }

    /// <summary>Waits until the last write is on disk; rethrows its failure.</summary>
    public void Flush()
    {
        var pending = _pending;
        _pending = Task.CompletedTask;
        pending.GetAwaiter().GetResult();
        if (pending != Task.CompletedTask)
        {
            Written++;
        }
    }

    /// <summary>Waits for a write in progress so no half-finished temporary file is left behind.</summary>
    /// <remarks>
    /// A failure of that write is not thrown here: Dispose runs on the way out of an exception too, whose error matters
    /// more. Call <see cref="Flush"/> on the normal path to see it.
    /// </remarks>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Task.WhenAny(_pending).GetAwaiter().GetResult();
    }
}

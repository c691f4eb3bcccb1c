using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Transport;

[Collection(nameof(AllocationSensitiveTests))]
public sealed class SegmentChannelAsyncAllocationTests
{
    [Fact]
    public async Task WaitToReadAsync_ReaderWaitsForEverySegmentFromAnActorThread_AllocatesNothingPerWait()
    {
        const int warmUp = 2_000;
        const int measured = 20_000;
        var channel = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.Wait });
        var acknowledgements = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.Wait });
        long processBefore = 0;
        long actorAllocated = 0;

        // The actor thread writes one segment and waits until the reader has taken it, so every read really waits.
        // Its writes complete the reader's waits, so queueing the reader's continuation is measured here too.
        var actor = new Thread(() =>
        {
            var before = 0L;
            for (var i = 0; i < warmUp + measured; i++)
            {
                if (i == warmUp)
                {
                    Volatile.Write(ref processBefore, GC.GetTotalAllocatedBytes(precise: true));
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                channel.Writer.Write(i);
                acknowledgements.Reader.TryRead(out _, Timeout.InfiniteTimeSpan);
            }

            actorAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
            channel.Writer.Complete();
        });

        // Off xunit's synchronization context, so continuations run on the thread pool as in production. The reader's
        // own work is measured on whichever pool thread resumes it, from resumption to the next wait being armed.
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            var allocated = 0L;
            var resumedAt = GC.GetAllocatedBytesForCurrentThread();
            while (true)
            {
#pragma warning disable CA2012 // Awaited exactly once, right below; held only to measure up to the moment it is armed.
                var ready = channel.Reader.WaitToReadAsync();
#pragma warning restore CA2012
                if (reads >= warmUp)
                {
                    allocated += GC.GetAllocatedBytesForCurrentThread() - resumedAt;
                }

                if (!await ready.ConfigureAwait(false))
                {
                    return (reads, allocated);
                }

                resumedAt = GC.GetAllocatedBytesForCurrentThread();
                while (channel.Reader.TryRead(out var item))
                {
                    acknowledgements.Writer.TryWrite(item);
                    reads++;
                }
            }
        });
        actor.Start();
        var (reads, readerAllocated) = await reader.WaitAsync(TimeSpan.FromSeconds(60));
        actor.Join();
        var processAllocated = GC.GetTotalAllocatedBytes(precise: true) - Volatile.Read(ref processBefore);

        Assert.Equal(warmUp + measured, reads);
        // Both are 0 in a plain Release process; under the test host the runtime now and then allocates a few bytes on the
        // actor thread while queueing a continuation (seen: 64 bytes once in 20,000 waits). A cost per wait would be ≥ 480 KB.
        Assert.True(actorAllocated + readerAllocated < 1024, $"Actor thread allocated {actorAllocated} bytes, reader {readerAllocated} bytes.");

        // A backstop over the whole process, where the test runner adds its own noise: an allocation per wait of even
        // 48 bytes (an async state machine, a task) would cross it.
        Assert.True(processAllocated < 960_000, $"Allocated {processAllocated} bytes over {measured} waits.");
    }
}

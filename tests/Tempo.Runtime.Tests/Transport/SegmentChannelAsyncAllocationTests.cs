using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Transport;

[Collection(nameof(AllocationSensitiveTests))]
public sealed class SegmentChannelAsyncAllocationTests
{
    [Fact]
    public async Task WaitToReadAsync_ReaderWaitsForEverySegmentFromAnActorThread_AllocatesNothingPerWait()
    {
        // Measured over two threads and the whole process, which Allocations.OnThisThread cannot do, so the least-of-rounds
        // rule is kept here by hand: tiered compilation may allocate at a moment of its choosing (beside CPU hogs it
        // swaps methods in later), while a cost per wait shows in every round.
        const int warmUp = 2_000;
        const int perRound = 20_000;
        const int rounds = 3;
        var channel = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.Wait });
        var acknowledgements = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.Wait });
        var processMarks = new long[rounds + 1];
        var actorMarks = new long[rounds + 1];

        // The actor thread writes one segment and waits until the reader has taken it, so every read really waits.
        // Its writes complete the reader's waits, so queueing the reader's continuation is measured here too.
        var actor = new Thread(() =>
        {
            for (var i = 0; i < warmUp + (rounds * perRound); i++)
            {
                if (i >= warmUp && (i - warmUp) % perRound == 0)
                {
                    Mark((i - warmUp) / perRound);
                }

                channel.Writer.Write(i);
                acknowledgements.Reader.TryRead(out _, Timeout.InfiniteTimeSpan);
            }

            Mark(rounds);
            channel.Writer.Complete();

            void Mark(int round)
            {
                processMarks[round] = GC.GetTotalAllocatedBytes(precise: true);
                actorMarks[round] = GC.GetAllocatedBytesForCurrentThread();
            }
        });

        // Off xunit's synchronization context, so continuations run on the thread pool as in production. The reader's
        // own work is measured on whichever pool thread resumes it, from resumption to the next wait being armed.
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            var allocated = new long[rounds];
            var resumedAt = GC.GetAllocatedBytesForCurrentThread();
            while (true)
            {
#pragma warning disable CA2012 // Awaited exactly once, right below; held only to measure up to the moment it is armed.
                var ready = channel.Reader.WaitToReadAsync();
#pragma warning restore CA2012
                if (reads >= warmUp)
                {
                    allocated[Math.Min((reads - warmUp) / perRound, rounds - 1)] += GC.GetAllocatedBytesForCurrentThread() - resumedAt;
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

        Assert.Equal(warmUp + (rounds * perRound), reads);
        var threads = Enumerable.Range(0, rounds).Select(r => actorMarks[r + 1] - actorMarks[r] + readerAllocated[r]).ToArray();
        var process = Enumerable.Range(0, rounds).Select(r => processMarks[r + 1] - processMarks[r]).ToArray();

        // Both threads: 0 in a plain Release process; under the test host the runtime now and then allocates a few bytes
        // on the actor thread while queueing a continuation (seen: 64 bytes once in 20,000 waits). A cost per wait would
        // be ≥ 480 KB in every round.
        Assert.True(threads.Min() < 1024, $"Actor and reader threads allocated {string.Join(", ", threads)} bytes in rounds of {perRound} waits.");

        // A backstop over the whole process, where the test runner adds its own noise: an allocation per wait of even
        // 48 bytes (an async state machine, a task) would cross it in every round.
        Assert.True(process.Min() < 960_000, $"The process allocated {string.Join(", ", process)} bytes in rounds of {perRound} waits.");
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Transport;

public sealed class SegmentChannelAllocationTests
{
    private static readonly SegmentLayout _layout = new(Steps: 8, Envs: 2, ObservationSize: 4, ActionSize: 1);

    [Theory]
    [InlineData(QueueFullMode.DropOldest)]
    [InlineData(QueueFullMode.Wait)]
    public void WriteRead_PooledSegmentsInSteadyState_AllocateNothing(QueueFullMode whenFull)
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 8);
        var channel = new SegmentChannel<Segment<float, int>>(new SegmentChannelOptions { Capacity = 2, WhenFull = whenFull }, pool.Return);
        using var cancellation = new CancellationTokenSource();
        Assert.Equal(0, RoundTrips(pool, channel, 100, cancellation.Token));

        var failures = 0;
        var allocated = Allocations.OnThisThread(() => failures += RoundTrips(pool, channel, 10_000, cancellation.Token), warmUp: 0, repetitions: 1);

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.Equal(0, pool.Statistics.Outstanding);
        if (whenFull == QueueFullMode.DropOldest)
        {
            Assert.True(channel.Statistics.DroppedFull > 0);
        }
    }

    private static int RoundTrips(SegmentPool<float, int> pool, SegmentChannel<Segment<float, int>> channel, int count, CancellationToken cancellationToken)
    {
        // Assertions allocate, so the loop only counts failures for the caller to check.
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            // Each path once per round: non-blocking, blocking and asynchronous writes; non-blocking, timed and asynchronous reads.
            var segment = pool.Rent();
            segment.Rewards[0] = i;
            if (!channel.Writer.TryWrite(segment))
            {
                pool.Return(segment);
                failures++;
            }

            channel.Writer.Write(pool.Rent(), cancellationToken);
            if (channel.Options.WhenFull == QueueFullMode.DropOldest)
            {
                // A third write into a channel of two evicts the oldest and hands it back to the pool.
                failures += CompletedSynchronously(channel.Writer.WriteAsync(pool.Rent(), cancellationToken)) ? 0 : 1;
            }

            failures += CompletedSynchronously(channel.Reader.WaitToReadAsync(cancellationToken)) ? 0 : 1;
            if (channel.Reader.TryRead(out var first) && channel.Reader.TryRead(out var second, TimeSpan.FromSeconds(1), cancellationToken))
            {
                pool.Return(first);
                pool.Return(second);
            }
            else
            {
                failures++;
            }

            failures += channel.Reader.Count;
        }

        return failures;
    }

    private static bool CompletedSynchronously(ValueTask write) => write.IsCompletedSuccessfully;

    private static bool CompletedSynchronously(ValueTask<bool> wait) => wait.IsCompletedSuccessfully && wait.Result;
}

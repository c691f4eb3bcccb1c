using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Transport;

public sealed class SegmentChannelTests
{
    private static readonly TimeSpan _long = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _short = TimeSpan.FromMilliseconds(100);

    private static SegmentChannel<int> Create(int capacity, QueueFullMode whenFull, Action<int>? dropped = null) =>
        new(new SegmentChannelOptions { Capacity = capacity, WhenFull = whenFull }, dropped);

    private static List<int> Drain(ISegmentReader<int> reader)
    {
        var items = new List<int>();
        while (reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    [Theory]
    [InlineData(QueueFullMode.Wait)]
    [InlineData(QueueFullMode.DropOldest)]
    public void TryWriteTryRead_InterleavedAcrossTheRingsWrap_PreserveFifoOrder(QueueFullMode whenFull)
    {
        var channel = Create(3, whenFull);
        var read = new List<int>();
        var next = 0;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 1 + (round % 3); i++)
            {
                Assert.True(channel.Writer.TryWrite(next++));
            }

            read.AddRange(Drain(channel.Reader).Take(3));
        }

        Assert.Equal(Enumerable.Range(0, next), read);
        Assert.Equal(new SegmentChannelStatistics(Written: next, Read: next, DroppedFull: 0, Count: 0, Capacity: 3), channel.Statistics);
    }

    [Fact]
    public void TryWrite_WaitModeFull_ReturnsFalseAndKeepsTheQueuedSegments()
    {
        var channel = Create(2, QueueFullMode.Wait);
        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(channel.Writer.TryWrite(2));

        Assert.False(channel.Writer.TryWrite(3));

        Assert.Equal([1, 2], Drain(channel.Reader));
        Assert.Equal(0, channel.Statistics.DroppedFull);
    }

    [Fact]
    public void TryWrite_DropOldestFull_EvictsTheOldestCountsItAndHandsItBack()
    {
        var handedBack = new List<int>();
        var channel = Create(2, QueueFullMode.DropOldest, handedBack.Add);

        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(channel.Writer.TryWrite(2));
        Assert.True(channel.Writer.TryWrite(3));
        Assert.True(channel.Writer.TryWrite(4));

        Assert.Equal([1, 2], handedBack);
        Assert.Equal([3, 4], Drain(channel.Reader));
        Assert.Equal(new SegmentChannelStatistics(Written: 4, Read: 2, DroppedFull: 2, Count: 0, Capacity: 2), channel.Statistics);
    }

    [Fact]
    public void TryWrite_DropOldestFullWithAPool_ReturnsTheEvictedSegmentToThePool()
    {
        var pool = new SegmentPool<float, int>(new SegmentLayout(2, 1, 1, 1), capacity: 4);
        var channel = new SegmentChannel<Segment<float, int>>(new SegmentChannelOptions { Capacity = 1, WhenFull = QueueFullMode.DropOldest }, pool.Return);
        var oldest = pool.Rent();
        oldest.Truncated[0] = true;

        channel.Writer.TryWrite(oldest);
        channel.Writer.TryWrite(pool.Rent());

        Assert.Equal(1, channel.Statistics.DroppedFull);
        Assert.Equal(new SegmentPoolStatistics(Allocated: 2, Rented: 2, Returned: 1, Discarded: 0, Available: 1), pool.Statistics);
        Assert.Same(oldest, pool.Rent());
        Assert.False(oldest.Truncated[0]);
    }

    [Fact]
    public void Write_DropOldestFull_NeverBlocks()
    {
        var handedBack = new List<int>();
        var channel = Create(1, QueueFullMode.DropOldest, handedBack.Add);

        channel.Writer.Write(1);
        channel.Writer.Write(2);
        var asyncWrite = channel.Writer.WriteAsync(3);

        Assert.True(asyncWrite.IsCompletedSuccessfully);
        Assert.Equal([1, 2], handedBack);
        Assert.Equal([3], Drain(channel.Reader));
    }

    [Fact]
    public void Write_WaitModeFull_BlocksUntilAReaderMakesSpace()
    {
        var channel = Create(1, QueueFullMode.Wait);
        channel.Writer.Write(1);
        using var written = new ManualResetEventSlim();
        var writer = new Thread(() =>
        {
            channel.Writer.Write(2);
            written.Set();
        });
        writer.Start();

        Assert.False(written.Wait(_short));
        Assert.Equal(1, channel.Statistics.Written);
        Assert.True(channel.Reader.TryRead(out var first));
        Assert.True(written.Wait(_long));
        writer.Join();

        Assert.Equal(1, first);
        Assert.Equal([2], Drain(channel.Reader));
    }

    [Fact]
    public void Write_WaitModeFullThenCancelled_ThrowsAndDoesNotWrite()
    {
        var channel = Create(1, QueueFullMode.Wait);
        channel.Writer.Write(1);
        using var cancellation = new CancellationTokenSource();
        Exception? error = null;
        var writer = new Thread(() => error = Record.Exception(() => channel.Writer.Write(2, cancellation.Token)));
        writer.Start();

        Assert.False(writer.Join(_short));
        cancellation.Cancel();
        Assert.True(writer.Join(_long));

        Assert.IsType<OperationCanceledException>(error);
        Assert.Equal([1], Drain(channel.Reader));
        Assert.Equal(1, channel.Statistics.Written);
    }

    [Fact]
    public async Task WriteAsync_WaitModeFull_CompletesOnceAReaderMakesSpace()
    {
        var channel = Create(1, QueueFullMode.Wait);
        await channel.Writer.WriteAsync(1);

        var pending = channel.Writer.WriteAsync(2).AsTask();
        await Task.Delay(_short);
        Assert.False(pending.IsCompleted);
        Assert.True(channel.Reader.TryRead(out _));
        await pending.WaitAsync(_long);

        Assert.Equal([2], Drain(channel.Reader));
    }

    [Fact]
    public async Task WriteAsync_WaitModeFullThenCancelled_ThrowsAndTheChannelKeepsWorking()
    {
        var channel = Create(1, QueueFullMode.Wait);
        await channel.Writer.WriteAsync(1);
        using var cancellation = new CancellationTokenSource();

        var pending = channel.Writer.WriteAsync(2, cancellation.Token).AsTask();
        await Task.Delay(_short);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(_long));
        Assert.True(channel.Reader.TryRead(out var first));
        await channel.Writer.WriteAsync(3).AsTask().WaitAsync(_long);
        Assert.Equal(1, first);
        Assert.Equal([3], Drain(channel.Reader));
    }

    [Fact]
    public void WriteAsync_AlreadyCancelled_ReturnsCancelledWithoutWriting()
    {
        var channel = Create(2, QueueFullMode.Wait);

        var write = channel.Writer.WriteAsync(1, new CancellationToken(canceled: true));

        Assert.True(write.IsCanceled);
        Assert.Equal(0, channel.Reader.Count);
    }

    [Fact]
    public async Task Complete_WithQueuedSegments_ReadersDrainThemThenSeeTheEnd()
    {
        var channel = Create(4, QueueFullMode.Wait);
        channel.Writer.Write(1);
        channel.Writer.Write(2);

        channel.Writer.Complete();

        Assert.False(channel.Reader.IsCompleted);
        Assert.True(await channel.Reader.WaitToReadAsync());
        Assert.Equal([1, 2], Drain(channel.Reader));
        Assert.True(channel.Reader.IsCompleted);
        Assert.False(channel.Reader.TryRead(out _, Timeout.InfiniteTimeSpan));
        var wait = channel.Reader.WaitToReadAsync();
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.False(await wait);
    }

    [Fact]
    public void Complete_CalledTwice_HasNoFurtherEffect()
    {
        var channel = Create(2, QueueFullMode.Wait);

        channel.Writer.Complete();
        channel.Writer.Complete();

        Assert.True(channel.Reader.IsCompleted);
    }

    [Fact]
    public async Task Writes_AfterComplete_AreRefused()
    {
        var channel = Create(2, QueueFullMode.DropOldest);
        channel.Writer.Complete();

        Assert.False(channel.Writer.TryWrite(1));
        Assert.Throws<InvalidOperationException>(() => channel.Writer.Write(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Writer.WriteAsync(1).AsTask());
        Assert.Equal(0, channel.Statistics.Written);
    }

    [Fact]
    public void Complete_WhileAReaderIsBlocked_WakesItWithFalse()
    {
        var channel = Create(2, QueueFullMode.Wait);
        bool? result = null;
        var reader = new Thread(() => result = channel.Reader.TryRead(out _, Timeout.InfiniteTimeSpan));
        reader.Start();

        Assert.False(reader.Join(_short));
        channel.Writer.Complete();
        Assert.True(reader.Join(_long));

        Assert.False(result);
    }

    [Fact]
    public void Complete_WhileAWriterIsBlocked_WakesItWithAnError()
    {
        var channel = Create(1, QueueFullMode.Wait);
        channel.Writer.Write(1);
        Exception? error = null;
        var writer = new Thread(() => error = Record.Exception(() => channel.Writer.Write(2)));
        writer.Start();

        Assert.False(writer.Join(_short));
        channel.Writer.Complete();
        Assert.True(writer.Join(_long));

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal([1], Drain(channel.Reader));
    }

    [Fact]
    public async Task Complete_WhileWaitToReadAsyncIsPending_CompletesItWithFalse()
    {
        var channel = Create(2, QueueFullMode.Wait);
        var pending = channel.Reader.WaitToReadAsync().AsTask();
        await Task.Delay(_short);
        Assert.False(pending.IsCompleted);

        channel.Writer.Complete();

        Assert.False(await pending.WaitAsync(_long));
    }

    [Fact]
    public void TryReadWithTimeout_SegmentWrittenByAnotherThread_ReturnsIt()
    {
        var channel = Create(2, QueueFullMode.Wait);
        var writer = new Thread(() =>
        {
            Thread.Sleep(_short);
            channel.Writer.Write(42);
        });
        writer.Start();

        Assert.True(channel.Reader.TryRead(out var segment, _long));
        writer.Join();

        Assert.Equal(42, segment);
    }

    [Fact]
    public void TryReadWithTimeout_NothingWritten_ReturnsFalseAfterTheTimeout()
    {
        var channel = Create(2, QueueFullMode.Wait);
        var started = Environment.TickCount64;

        Assert.False(channel.Reader.TryRead(out _, TimeSpan.FromMilliseconds(80)));

        Assert.InRange(Environment.TickCount64 - started, 70, 5_000);
        Assert.False(channel.Reader.TryRead(out _, TimeSpan.Zero));
    }

    [Fact]
    public void TryReadWithTimeout_CancelledWhileWaiting_Throws()
    {
        var channel = Create(2, QueueFullMode.Wait);
        using var cancellation = new CancellationTokenSource();
        Exception? error = null;
        var reader = new Thread(() => error = Record.Exception(() => channel.Reader.TryRead(out _, Timeout.InfiniteTimeSpan, cancellation.Token)));
        reader.Start();

        Assert.False(reader.Join(_short));
        cancellation.Cancel();
        Assert.True(reader.Join(_long));

        Assert.IsType<OperationCanceledException>(error);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(int.MaxValue + 1L)]
    public void TryReadWithTimeout_TimeoutOutOfRange_Throws(long milliseconds)
    {
        var channel = Create(2, QueueFullMode.Wait);

        Assert.Throws<ArgumentOutOfRangeException>(() => channel.Reader.TryRead(out _, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public async Task WaitToReadAsync_Empty_CompletesWithTrueWhenASegmentArrives()
    {
        var channel = Create(2, QueueFullMode.Wait);
        var pending = channel.Reader.WaitToReadAsync().AsTask();
        await Task.Delay(_short);
        Assert.False(pending.IsCompleted);

        channel.Writer.Write(7);

        Assert.True(await pending.WaitAsync(_long));
        Assert.True(channel.Reader.TryRead(out var segment));
        Assert.Equal(7, segment);
    }

    [Fact]
    public async Task WaitToReadAsync_CancelledWhileWaiting_ThrowsAndLaterWaitsStillWork()
    {
        var channel = Create(2, QueueFullMode.Wait);
        using var cancellation = new CancellationTokenSource();
        var pending = channel.Reader.WaitToReadAsync(cancellation.Token).AsTask();
        await Task.Delay(_short);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(_long));
        var next = channel.Reader.WaitToReadAsync().AsTask();
        channel.Writer.Write(1);
        Assert.True(await next.WaitAsync(_long));
    }

    [Fact]
    public async Task WaitToReadAsync_SeveralWaiters_AllWakeOnOneWrite()
    {
        var channel = Create(2, QueueFullMode.Wait);
        var waiters = Enumerable.Range(0, 3).Select(_ => channel.Reader.WaitToReadAsync().AsTask()).ToArray();
        await Task.Delay(_short);

        channel.Writer.Write(1);

        Assert.All(await Task.WhenAll(waiters).WaitAsync(_long), Assert.True);
    }

    [Fact]
    public void Options_Invalid_AreRejectedWithTheValue()
    {
        var capacity = Assert.Throws<ArgumentOutOfRangeException>(() => Create(0, QueueFullMode.Wait));
        Assert.Contains("0", capacity.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, (QueueFullMode)7));
        Assert.Throws<ArgumentNullException>(() => new SegmentChannel<int>(null!));
    }
}

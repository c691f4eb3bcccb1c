using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Transport;

public sealed class SegmentChannelConcurrencyTests
{
    private const int Writers = 4;
    private const int PerWriter = 5_000;
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(60);

    private static int Item(int writer, int sequence) => (writer * 1_000_000) + sequence;

    private static void AssertPerWriterOrder(IEnumerable<int> items)
    {
        foreach (var group in items.GroupBy(item => item / 1_000_000))
        {
            var sequences = group.Select(item => item % 1_000_000).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    private static Thread[] StartWriters(Action<int> write)
    {
        var threads = Enumerable.Range(0, Writers).Select(writer => new Thread(() => write(writer))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        return threads;
    }

    [Fact]
    public void WaitMode_SeveralBlockingWritersOneBlockingReader_LosesNothingAndKeepsEachWritersOrder()
    {
        var channel = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 8, WhenFull = QueueFullMode.Wait });
        var read = new List<int>();
        var reader = new Thread(() =>
        {
            while (channel.Reader.TryRead(out var item, Timeout.InfiniteTimeSpan))
            {
                read.Add(item);
            }
        });
        reader.Start();

        var writers = StartWriters(writer =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                channel.Writer.Write(Item(writer, i));
            }
        });
        foreach (var writer in writers)
        {
            Assert.True(writer.Join(_deadline));
        }

        channel.Writer.Complete();
        Assert.True(reader.Join(_deadline));

        Assert.Equal(Writers * PerWriter, read.Count);
        Assert.Equal(Writers * PerWriter, read.Distinct().Count());
        AssertPerWriterOrder(read);
        Assert.Equal(new SegmentChannelStatistics(Writers * PerWriter, Writers * PerWriter, 0, 0, 8), channel.Statistics);
    }

    [Fact]
    public async Task WaitMode_SeveralAsyncWritersOneAsyncReader_LosesNothingAndKeepsEachWritersOrder()
    {
        var channel = new SegmentChannel<int>(new SegmentChannelOptions { Capacity = 4, WhenFull = QueueFullMode.Wait });
        var readerTask = Task.Run(async () =>
        {
            var items = new List<int>();
            while (await channel.Reader.WaitToReadAsync())
            {
                while (channel.Reader.TryRead(out var item))
                {
                    items.Add(item);
                }
            }

            return items;
        });

        var writerTasks = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await channel.Writer.WriteAsync(Item(writer, i));
            }
        }));
        await Task.WhenAll(writerTasks).WaitAsync(_deadline);
        channel.Writer.Complete();
        var read = await readerTask.WaitAsync(_deadline);

        Assert.Equal(Writers * PerWriter, read.Count);
        Assert.Equal(Writers * PerWriter, read.Distinct().Count());
        AssertPerWriterOrder(read);
    }

    [Fact]
    public void DropOldest_SeveralWritersOneSlowReader_EverySegmentIsReadOrHandedBackExactlyOnce()
    {
        var handedBack = new List<int>();
        var channel = new SegmentChannel<int>(
            new SegmentChannelOptions { Capacity = 4, WhenFull = QueueFullMode.DropOldest },
            item =>
            {
                lock (handedBack)
                {
                    handedBack.Add(item);
                }
            });
        var read = new List<int>();
        var reader = new Thread(() =>
        {
            while (channel.Reader.TryRead(out var item, Timeout.InfiniteTimeSpan))
            {
                read.Add(item);
                if (read.Count % 64 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        });
        reader.Start();

        var refused = 0;
        var writers = StartWriters(writer =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                if (!channel.Writer.TryWrite(Item(writer, i)))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        });
        foreach (var writer in writers)
        {
            Assert.True(writer.Join(_deadline));
        }

        channel.Writer.Complete();
        Assert.True(reader.Join(_deadline));

        var statistics = channel.Statistics;
        Assert.Equal(Writers * PerWriter, statistics.Written);
        Assert.Equal(statistics.Written, statistics.Read + statistics.DroppedFull);
        Assert.Equal(statistics.Read, read.Count);
        Assert.Equal(statistics.DroppedFull, handedBack.Count);
        Assert.Equal(Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, PerWriter).Select(i => Item(w, i))).Order(), read.Concat(handedBack).Order());
        AssertPerWriterOrder(read);
        Assert.Equal(0, refused);
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Core.Envs;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Segments;

public sealed class SegmentPoolTests
{
    private static readonly SegmentLayout _layout = new(Steps: 4, Envs: 2, ObservationSize: 3, ActionSize: 1);

    [Fact]
    public void Rent_EmptyPool_AllocatesSegmentOfThePoolsLayout()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 2);

        var segment = pool.Rent();

        Assert.Equal(_layout, segment.Layout);
        Assert.Equal(new SegmentPoolStatistics(Allocated: 1, Rented: 1, Returned: 0, Discarded: 0, Available: 0), pool.Statistics);
        Assert.Equal(1, pool.Statistics.Outstanding);
    }

    [Fact]
    public void Rent_AfterReturn_ReusesTheSameSegmentCleared()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 2);
        var segment = pool.Rent();
        segment.Terminated[3] = true;
        segment.Truncated[5] = true;
        segment.Episodes.Add(new SegmentEpisode(0, new EpisodeStatistics(1, 2, 3)));

        pool.Return(segment);
        var again = pool.Rent();

        Assert.Same(segment, again);
        Assert.DoesNotContain(true, again.Terminated.ToArray());
        Assert.DoesNotContain(true, again.Truncated.ToArray());
        Assert.Empty(again.Episodes);
        Assert.Equal(new SegmentPoolStatistics(Allocated: 1, Rented: 2, Returned: 1, Discarded: 0, Available: 0), pool.Statistics);
    }

    [Fact]
    public void Return_PoolFull_DiscardsAndCounts()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 1);
        var first = pool.Rent();
        var second = pool.Rent();

        pool.Return(first);
        pool.Return(second);

        Assert.Equal(new SegmentPoolStatistics(Allocated: 2, Rented: 2, Returned: 2, Discarded: 1, Available: 1), pool.Statistics);
        Assert.Same(first, pool.Rent());
    }

    [Fact]
    public void Return_Twice_Throws()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 2);
        var segment = pool.Rent();
        pool.Return(segment);

        var error = Assert.Throws<ArgumentException>(() => pool.Return(segment));
        Assert.Contains("twice", error.Message);
        Assert.Equal(1, pool.Statistics.Available);
    }

    [Fact]
    public void Return_OtherLayout_ThrowsNamingBothLayouts()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 2);
        var foreign = new Segment<float, int>(_layout with { Envs = 3 });

        var error = Assert.Throws<ArgumentException>(() => pool.Return(foreign));
        Assert.Contains("Envs = 3", error.Message);
        Assert.Contains("Envs = 2", error.Message);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentPool<float, int>(_layout, capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentPool<float, int>(_layout with { Steps = 0 }, capacity: 1));
    }

    [Fact]
    public void RentReturn_SteadyState_AllocatesNothing()
    {
        var pool = new SegmentPool<float, int>(_layout, capacity: 4);
        for (var i = 0; i < 4; i++)
        {
            pool.Return(new Segment<float, int>(_layout));
        }

        void RentTwoAndReturnThem()
        {
            var a = pool.Rent();
            var b = pool.Rent();
            pool.Return(a);
            pool.Return(b);
        }

        Assert.Equal(0, Allocations.OnThisThread(RentTwoAndReturnThem, warmUp: 0, repetitions: 10_000));
    }

    [Fact]
    public void RentReturn_ManyThreads_NeverHandsOutOneSegmentTwiceAndCountsAddUp()
    {
        const int threads = 4;
        const int iterations = 5_000;
        var pool = new SegmentPool<float, int>(_layout, capacity: 3);
        var inUse = new HashSet<Segment<float, int>>(ReferenceEqualityComparer.Instance);
        var duplicates = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                var segment = pool.Rent();
                lock (inUse)
                {
                    if (!inUse.Add(segment))
                    {
                        duplicates++;
                    }
                }

                lock (inUse)
                {
                    inUse.Remove(segment);
                }

                pool.Return(segment);
            }
        })).ToList();

        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());

        var statistics = pool.Statistics;
        Assert.Equal(0, duplicates);
        Assert.Equal(threads * iterations, statistics.Rented);
        Assert.Equal(threads * iterations, statistics.Returned);
        Assert.Equal(statistics.Allocated, statistics.Available + statistics.Discarded);
        Assert.InRange(statistics.Available, 1, pool.Capacity);
    }
}

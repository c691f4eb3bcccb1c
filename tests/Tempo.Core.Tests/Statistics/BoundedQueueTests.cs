using Tempo.Core.Statistics;

namespace Tempo.Core.Tests.Statistics;

public sealed class BoundedQueueTests
{
    [Fact]
    public void Add_PastCapacity_DropsOldestAndKeepsOrder()
    {
        var queue = new BoundedQueue<int>(3);
        for (var i = 1; i <= 5; i++)
        {
            queue.Add(i);
        }

        Assert.Equal(3, queue.Count);
        Assert.Equal([3, 4, 5], queue.ToArray());
        Assert.Equal(3, queue[0]);
        Assert.Equal(5, queue[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue[3]);
    }

    [Fact]
    public void Add_BelowCapacity_KeepsAll()
    {
        var queue = new BoundedQueue<int>(3);
        queue.Add(7);

        Assert.Equal([7], queue.ToArray());
    }
}

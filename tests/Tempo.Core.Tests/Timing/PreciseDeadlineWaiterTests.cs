using System.Diagnostics;
using Tempo.Core.Timing;

namespace Tempo.Core.Tests.Timing;

public sealed class PreciseDeadlineWaiterTests
{
    private static long InFuture(TimeSpan delay) =>
        TimeProvider.System.GetTimestamp() + (long)(delay.TotalSeconds * TimeProvider.System.TimestampFrequency);

    [Fact]
    public void WaitUntil_FutureDeadline_NeverReturnsEarly()
    {
        var waiter = new PreciseDeadlineWaiter();
        for (var i = 0; i < 10; i++)
        {
            var deadline = InFuture(TimeSpan.FromMilliseconds(i % 3 == 0 ? 0.3 : 2.5));

            Assert.True(waiter.WaitUntil(deadline));

            Assert.True(TimeProvider.System.GetTimestamp() >= deadline);
        }
    }

    [Fact]
    public void WaitUntil_PastDeadline_ReturnsAtOnce()
    {
        var waiter = new PreciseDeadlineWaiter();
        var stopwatch = Stopwatch.StartNew();

        Assert.True(waiter.WaitUntil(InFuture(TimeSpan.FromSeconds(-1))));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void WaitUntil_Cancelled_ReturnsFalseLongBeforeTheDeadline()
    {
        var waiter = new PreciseDeadlineWaiter();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        var stopwatch = Stopwatch.StartNew();

        Assert.False(waiter.WaitUntil(InFuture(TimeSpan.FromSeconds(60)), cancellation.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void WaitUntil_AlreadyCancelled_ReturnsFalse()
    {
        var waiter = new PreciseDeadlineWaiter();

        Assert.False(waiter.WaitUntil(InFuture(TimeSpan.FromSeconds(60)), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Constructor_NegativeSpinThreshold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreciseDeadlineWaiter(spinThreshold: TimeSpan.FromMilliseconds(-1)));
    }
}

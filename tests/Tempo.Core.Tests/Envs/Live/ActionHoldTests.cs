using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.TestEnvs;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>The hold logic on its own, on timestamps the test chooses (a manual clock: 1 timestamp = 100 ns).</summary>
public sealed class ActionHoldTests
{
    private static TimeProvider Clock => new ManualTimeProvider();
    private static long Millisecond => TimeSpan.FromMilliseconds(1).Ticks;

    private static ActionHold<int> Create(double holdMilliseconds = 100) => new(1, TimeSpan.FromMilliseconds(holdMilliseconds), Clock);

    [Fact]
    public void Take_BeforeAnySubmission_IsNoInputAndCounted()
    {
        var hold = Create();

        Assert.True(hold.Take(0).IsEmpty);
        Assert.True(hold.Take(10 * Millisecond).IsEmpty);
        Assert.Equal(2, hold.NoInputCount);
    }

    [Fact]
    public void Take_AppliesTheNewestSubmissionThenHoldsItUntilTheHoldTimeRunsOut()
    {
        var hold = Create(holdMilliseconds: 100);
        hold.Submit([1], timestamp: 0);
        hold.Submit([2], timestamp: 5 * Millisecond);

        Assert.Equal([2], hold.Take(10 * Millisecond).ToArray());
        Assert.Equal([2], hold.Take(104 * Millisecond).ToArray());

        // The hold time runs from the submission (5 ms), not from the first tick that applied it.
        Assert.True(hold.Take(105 * Millisecond).IsEmpty);
        Assert.True(hold.Take(106 * Millisecond).IsEmpty);
        Assert.Equal(2, hold.NoInputCount);
    }

    [Fact]
    public void Postpone_ThePausedTimeDoesNotUseUpTheHoldTime()
    {
        var hold = Create(holdMilliseconds: 100);
        hold.Submit([1], timestamp: 0);
        Assert.Equal([1], hold.Take(20 * Millisecond).ToArray());

        // Paused from 50 ms to 1050 ms.
        hold.Postpone(1000 * Millisecond);

        Assert.Equal([1], hold.Take(1060 * Millisecond).ToArray());
        Assert.True(hold.Take(1100 * Millisecond).IsEmpty);
    }

    [Fact]
    public void Postpone_APendingActionKeepsItsFullHoldTimeToo()
    {
        var hold = Create(holdMilliseconds: 100);
        hold.Submit([2], timestamp: 0);
        hold.Postpone(1000 * Millisecond);

        Assert.Equal([2], hold.Take(1050 * Millisecond).ToArray());
        Assert.Equal([2], hold.Take(1099 * Millisecond).ToArray());
        Assert.True(hold.Take(1100 * Millisecond).IsEmpty);
    }

    [Fact]
    public void Clear_ForgetsPendingAndHeldActions()
    {
        var hold = Create();
        hold.Submit([1], timestamp: 0);
        hold.Take(0);
        hold.Submit([2], timestamp: 0);

        hold.Clear();

        Assert.True(hold.Take(Millisecond).IsEmpty);
    }

    [Fact]
    public void Create_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionHold<int>(0, TimeSpan.FromSeconds(1), Clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionHold<int>(1, TimeSpan.Zero, Clock));
        Assert.Throws<ArgumentNullException>(() => new ActionHold<int>(1, TimeSpan.FromSeconds(1), null!));
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Runtime.Transport;
using Tempo.Tests.Shared;

namespace Tempo.Runtime.Tests.Transport;

public sealed class PolicyLagFilterTests
{
    private static PolicyVersion V(long value) => new(value);

    [Fact]
    public void Accept_LagWithinMaximum_AcceptsAndRecordsIt()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 2);

        Assert.True(filter.Accept(V(10), V(10)));
        Assert.True(filter.Accept(V(10), V(8)));

        Assert.Equal(new PolicyLagStatistics(Accepted: 2, DroppedStale: 0, DroppedAhead: 0, MeanLag: 1.0, MaxLag: 2, WindowCount: 2), filter.Statistics);
    }

    [Fact]
    public void Accept_LagAboveMaximum_DropsAndCountsWithoutRecordingTheLag()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 2);

        Assert.False(filter.Accept(V(10), V(7)));

        Assert.Equal(new PolicyLagStatistics(Accepted: 0, DroppedStale: 1, DroppedAhead: 0, MeanLag: 0, MaxLag: 0, WindowCount: 0), filter.Statistics);
        Assert.Equal(1, filter.Statistics.Dropped);
    }

    [Fact]
    public void Accept_BehaviourNewerThanLearner_DropsAndCountsItApart()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 5);

        Assert.False(filter.Accept(V(3), V(4)));

        Assert.Equal(1, filter.Statistics.DroppedAhead);
        Assert.Equal(0, filter.Statistics.DroppedStale);
    }

    [Fact]
    public void Accept_ZeroMaximum_AcceptsOnlyTheLearnersOwnVersion()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 0);

        Assert.True(filter.Accept(V(4), V(4)));
        Assert.False(filter.Accept(V(4), V(3)));
    }

    [Fact]
    public void Statistics_MoreAcceptedThanTheWindow_CoverOnlyTheMostRecent()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 100, window: 3);

        foreach (var lag in new[] { 9, 1, 2, 3, 6 })
        {
            Assert.True(filter.Accept(V(100), V(100 - lag)));
        }

        var statistics = filter.Statistics;
        Assert.Equal(5, statistics.Accepted);
        Assert.Equal(3, statistics.WindowCount);
        Assert.Equal((2 + 3 + 6) / 3.0, statistics.MeanLag, precision: 12);
        Assert.Equal(6, statistics.MaxLag);
    }

    [Fact]
    public void Accept_Segment_UsesItsBehaviourVersion()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 1);
        var segment = new Segment<float, int>(new SegmentLayout(2, 1, 1, 1)) { BehaviourVersion = V(5) };

        Assert.True(filter.Accept(segment, V(6)));
        Assert.False(filter.Accept(segment, V(7)));
    }

    [Fact]
    public void Accept_SteadyState_AllocatesNothing()
    {
        var filter = new PolicyLagFilter(maxPolicyLag: 3, window: 16);
        var i = 0;

        void Accept()
        {
            filter.Accept(V(i), V(i - (i % 5)));
            i++;
        }

        Assert.Equal(0, Allocations.OnThisThread(Accept, warmUp: 1, repetitions: 10_000));
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyLagFilter(maxPolicyLag: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyLagFilter(maxPolicyLag: 1, window: 0));
    }
}

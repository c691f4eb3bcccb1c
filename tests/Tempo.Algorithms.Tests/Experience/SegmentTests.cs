using Tempo.Algorithms.Experience;

namespace Tempo.Algorithms.Tests.Experience;

public sealed class SegmentTests
{
    [Fact]
    public void Constructor_SizesEveryBufferFromTheLayout()
    {
        var segment = new Segment<float, float>(new SegmentLayout(Steps: 3, Envs: 2, ObservationSize: 4, ActionSize: 5));

        Assert.Equal(3 * 2 * 4, segment.Observations.Length);
        Assert.Equal(3 * 2 * 4, segment.FinalObservations.Length);
        Assert.Equal(2 * 4, segment.BootstrapObservations.Length);
        Assert.Equal(3 * 2 * 5, segment.Actions.Length);
        Assert.Equal(6, segment.Rewards.Length);
        Assert.Equal(6, segment.BehaviourLogProbs.Length);
        Assert.Equal(6, segment.BehaviourValues.Length);
        Assert.Equal(6, segment.Terminated.Length);
        Assert.Equal(6, segment.Truncated.Length);
    }

    [Fact]
    public void ObservationAt_IsTimeMajor()
    {
        var segment = new Segment<float, int>(new SegmentLayout(Steps: 3, Envs: 2, ObservationSize: 2, ActionSize: 1));
        for (var k = 0; k < segment.Observations.Length; k++)
        {
            segment.Observations[k] = k;
        }

        // Step 2, env 1 is transition 2 · 2 + 1 = 5, elements 10 and 11.
        Assert.Equal([10f, 11f], segment.ObservationAt(2, 1).ToArray());
    }

    [Fact]
    public void Clear_ForgetsFlagsAndEpisodes()
    {
        var segment = new Segment<float, int>(new SegmentLayout(2, 1, 1, 1));
        segment.Terminated[0] = true;
        segment.Truncated[1] = true;
        segment.Episodes.Add(new SegmentEpisode(0, new Core.Envs.EpisodeStatistics(1, 1, 0)));

        segment.Clear();

        Assert.Equal([false, false], segment.Terminated.ToArray());
        Assert.Equal([false, false], segment.Truncated.ToArray());
        Assert.Empty(segment.Episodes);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "Steps")]
    [InlineData(1, 0, 1, 1, "Envs")]
    [InlineData(1, 1, 0, 1, "ObservationSize")]
    [InlineData(1, 1, 1, -1, "ActionSize")]
    public void Constructor_NonPositiveSize_ThrowsNamingIt(int steps, int envs, int observationSize, int actionSize, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Segment<float, int>(new SegmentLayout(steps, envs, observationSize, actionSize)));

        Assert.Equal(name, error.ParamName);
    }
}

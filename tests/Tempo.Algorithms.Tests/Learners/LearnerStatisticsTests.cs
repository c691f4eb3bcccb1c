using Tempo.Algorithms.Learners;

namespace Tempo.Algorithms.Tests.Learners;

public sealed class LearnerStatisticsTests
{
    [Fact]
    public void Constructor_KeepsTheNamesInOrder_WithEveryValueNaN()
    {
        var statistics = new LearnerStatistics("losses/td_loss", "losses/q_values", "charts/epsilon");

        Assert.Equal(["losses/td_loss", "losses/q_values", "charts/epsilon"], statistics.Names);
        Assert.All(statistics.Values.ToArray(), value => Assert.True(double.IsNaN(value)));
        Assert.Equal(0, statistics.GradientSteps);
        Assert.Null(statistics.PolicyLag);
    }

    [Fact]
    public void Indexers_ReadWhatWasWrittenByPositionAndByName()
    {
        var statistics = new LearnerStatistics("losses/td_loss", "charts/epsilon");
        statistics[0] = 0.25;
        statistics[1] = 0.05;

        Assert.Equal(0.25, statistics["losses/td_loss"]);
        Assert.Equal(0.05, statistics["charts/epsilon"]);
        Assert.True(statistics.TryGetValue("charts/epsilon", out var epsilon));
        Assert.Equal(0.05, epsilon);
        Assert.False(statistics.TryGetValue("losses/value_loss", out _));
        var error = Assert.Throws<KeyNotFoundException>(() => statistics["losses/value_loss"]);
        Assert.Contains("losses/value_loss", error.Message);
        Assert.Contains("losses/td_loss", error.Message);
    }

    [Fact]
    public void Copy_KeepsTheValuesWhenTheLearnerOverwritesItsInstance()
    {
        var statistics = new LearnerStatistics("a", "b") { PolicyVersion = 3, GradientSteps = 2, PolicyLag = new PolicyLag(1.5, 4) };
        statistics[0] = 1;
        statistics[1] = 2;

        var copy = statistics.Copy();
        statistics[0] = 10;
        statistics.PolicyVersion = 4;
        statistics.GradientSteps = 0;
        statistics.PolicyLag = null;

        Assert.Equal([1.0, 2.0], copy.Values.ToArray());
        Assert.Equal(statistics.Names, copy.Names);
        Assert.Equal((3L, 2, new PolicyLag(1.5, 4)), (copy.PolicyVersion, copy.GradientSteps, copy.PolicyLag));
    }

    [Fact]
    public void CopyTo_OverwritesTheTargetsValuesAndCounters()
    {
        var statistics = new LearnerStatistics("a", "b") { PolicyVersion = 3, GradientSteps = 2, PolicyLag = new PolicyLag(1.5, 4) };
        statistics[0] = 1;
        statistics[1] = 2;
        var target = statistics.Copy();
        statistics[0] = 10;
        statistics.PolicyVersion = 4;
        statistics.GradientSteps = 0;
        statistics.PolicyLag = null;

        statistics.CopyTo(target);

        Assert.Equal([10.0, 2.0], target.Values.ToArray());
        Assert.Equal((4L, 0, (PolicyLag?)null), (target.PolicyVersion, target.GradientSteps, target.PolicyLag));
    }

    [Fact]
    public void CopyTo_SameNamesInAnotherInstance_Copies()
    {
        var statistics = new LearnerStatistics("a", "b");
        statistics[1] = 5;
        var target = new LearnerStatistics("a", "b");

        statistics.CopyTo(target);

        Assert.Equal(5, target["b"]);
    }

    [Fact]
    public void CopyTo_OtherNames_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnerStatistics("a", "b").CopyTo(new LearnerStatistics("a", "c")));

        Assert.Contains("named a, b into statistics named a, c", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("losses/a,b")]
    [InlineData("losses/\"a\"")]
    [InlineData("losses/value loss")]
    [InlineData("losses/a\n")]
    public void Constructor_NameACsvHeaderOrTagCannotCarry_ThrowsNamingIt(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnerStatistics("fine", name));

        Assert.Contains(name.Length == 0 ? "empty" : name, error.Message);
    }

    [Fact]
    public void Constructor_RepeatedName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnerStatistics("losses/a", "losses/b", "losses/a"));

        Assert.Contains("'losses/a' appears twice", error.Message);
    }

    [Fact]
    public void GradientSteps_Negative_Throws()
    {
        var statistics = new LearnerStatistics("a");

        Assert.Throws<ArgumentOutOfRangeException>(() => statistics.GradientSteps = -1);
    }
}

using Tempo.Nn.Losses;

namespace Tempo.Nn.Tests.Losses;

public sealed class MseLossTests
{
    private static readonly float[] Input = [1f, 2f, 3f];
    private static readonly float[] Target = [0f, 2f, 5f];

    [Fact]
    public void Forward_HandComputed_MeanAndSum()
    {
        // Differences (1, 0, −2), squares (1, 0, 4).
        Assert.Equal(5f / 3f, MseLoss.Forward(Input, Target), 1e-7f);
        Assert.Equal(5f, MseLoss.Forward(Input, Target, LossReduction.Sum));
    }

    [Fact]
    public void Backward_HandComputed_MeanAndSum()
    {
        var gradient = new float[3];

        MseLoss.Backward(Input, Target, gradient);
        Assert.Equal([2f / 3f, 0f, -4f / 3f], gradient);

        MseLoss.Backward(Input, Target, gradient, LossReduction.Sum, lossGradient: 0.5f);
        Assert.Equal([1f, 0f, -2f], gradient);
    }

    [Theory]
    [InlineData(LossReduction.Mean)]
    [InlineData(LossReduction.Sum)]
    public void Backward_RandomInputs_MatchesFiniteDifferences(LossReduction reduction)
    {
        LossGradientCheck.Run(
            (input, target) => MseLoss.Forward(input, target, reduction),
            (input, target, gradient) => MseLoss.Backward(input, target, gradient, reduction),
            kinks: []);
    }

    [Fact]
    public void Forward_LengthMismatch_ThrowsWithBothLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => MseLoss.Forward([1f, 2f], [1f]));

        Assert.Contains("2", error.Message);
        Assert.Contains("1", error.Message);
    }

    [Fact]
    public void Forward_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => MseLoss.Forward([], []));
    }

    [Fact]
    public void Backward_GradientWrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MseLoss.Backward(Input, Target, new float[2]));

        Assert.Equal("inputGradient", error.ParamName);
    }
}

using Tempo.Nn.Losses;

namespace Tempo.Nn.Tests.Losses;

public sealed class MseLossTests
{
    private static readonly float[] _input = [1f, 2f, 3f];
    private static readonly float[] _target = [0f, 2f, 5f];

    [Fact]
    public void Forward_HandComputed_MeanAndSum()
    {
        // Differences (1, 0, −2), squares (1, 0, 4).
        Assert.Equal(5f / 3f, MseLoss.Forward(_input, _target), 1e-7f);
        Assert.Equal(5f, MseLoss.Forward(_input, _target, LossReduction.Sum));
    }

    [Fact]
    public void Backward_HandComputed_MeanAndSum()
    {
        var gradient = new float[3];

        MseLoss.Backward(_input, _target, gradient);
        Assert.Equal([2f / 3f, 0f, -4f / 3f], gradient);

        MseLoss.Backward(_input, _target, gradient, LossReduction.Sum, lossGradient: 0.5f);
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
        var error = Assert.Throws<ArgumentException>(() => MseLoss.Backward(_input, _target, new float[2]));

        Assert.Equal("inputGradient", error.ParamName);
    }
}

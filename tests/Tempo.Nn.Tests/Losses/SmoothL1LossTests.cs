using Tempo.Nn.Losses;

namespace Tempo.Nn.Tests.Losses;

public sealed class SmoothL1LossTests
{
    [Fact]
    public void Forward_BetaOne_QuadraticInsideLinearOutside()
    {
        // Differences (0.5, −2, 1): 0.5·0.25 = 0.125; 2 − 0.5 = 1.5; |x| = β is outside: 1 − 0.5 = 0.5.
        float[] input = [0.5f, -2f, 1f];
        float[] target = [0f, 0f, 0f];

        Assert.Equal(2.125f, SmoothL1Loss.Forward(input, target, beta: 1f, LossReduction.Sum));
        Assert.Equal(2.125f / 3f, SmoothL1Loss.Forward(input, target), 1e-7f);
    }

    [Fact]
    public void Forward_BetaTwo_ScalesQuadraticPartByOneOverBeta()
    {
        // x = 1: 0.5·1/2 = 0.25; x = −3: 3 − 1 = 2.
        Assert.Equal(2.25f, SmoothL1Loss.Forward([1f, -3f], [0f, 0f], beta: 2f, LossReduction.Sum));
    }

    [Fact]
    public void Backward_BetaOne_SlopeIsXInsideAndSignOutside()
    {
        var gradient = new float[4];

        SmoothL1Loss.Backward([0.5f, -2f, 1f, -0.25f], [0f, 0f, 0f, 0f], gradient, beta: 1f, LossReduction.Sum);

        Assert.Equal([0.5f, -1f, 1f, -0.25f], gradient);
    }

    [Fact]
    public void ForwardBackward_BetaZero_IsL1WithZeroSlopeAtZero()
    {
        float[] input = [1.5f, -2f, 0f];
        float[] target = [0f, 0f, 0f];
        var gradient = new float[3];

        var loss = SmoothL1Loss.Forward(input, target, beta: 0f, LossReduction.Sum);
        SmoothL1Loss.Backward(input, target, gradient, beta: 0f, LossReduction.Sum);

        Assert.Equal(3.5f, loss);
        Assert.Equal([1f, -1f, 0f], gradient);
    }

    [Fact]
    public void Backward_Mean_DividesByElementCountAndScalesByLossGradient()
    {
        var gradient = new float[2];

        SmoothL1Loss.Backward([3f, 0.5f], [0f, 0f], gradient, beta: 1f, LossReduction.Mean, lossGradient: 4f);

        Assert.Equal([2f, 1f], gradient);
    }

    [Theory]
    [InlineData(0.5f, LossReduction.Mean)]
    [InlineData(1f, LossReduction.Sum)]
    [InlineData(3f, LossReduction.Mean)]
    public void Backward_RandomInputs_MatchesFiniteDifferences(float beta, LossReduction reduction)
    {
        LossGradientCheck.Run(
            (input, target) => SmoothL1Loss.Forward(input, target, beta, reduction),
            (input, target, gradient) => SmoothL1Loss.Backward(input, target, gradient, beta, reduction),
            kinks: [-beta, beta]);
    }

    [Fact]
    public void Forward_NegativeBeta_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmoothL1Loss.Forward([1f], [0f], beta: -1f));
    }
}

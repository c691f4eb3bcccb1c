using Tempo.Nn.Losses;

namespace Tempo.Nn.Tests.Losses;

public sealed class HuberLossTests
{
    [Fact]
    public void Forward_DeltaTwo_QuadraticInsideLinearOutside()
    {
        // x = 1: 0.5·1 = 0.5; x = −3: 2·(3 − 1) = 4.
        Assert.Equal(4.5f, HuberLoss.Forward([1f, -3f], [0f, 0f], delta: 2f, LossReduction.Sum));
        Assert.Equal(2.25f, HuberLoss.Forward([1f, -3f], [0f, 0f], delta: 2f));
    }

    [Fact]
    public void Backward_DeltaTwo_SlopeIsXInsideAndDeltaSignOutside()
    {
        var gradient = new float[3];

        HuberLoss.Backward([1f, -3f, 5f], [0f, 0f, 0f], gradient, delta: 2f, LossReduction.Sum);

        Assert.Equal([1f, -2f, 2f], gradient);
    }

    [Fact]
    public void Forward_DeltaTimesSmoothL1_AreEqual()
    {
        float[] input = [0.3f, -4f, 1.7f, 2.5f];
        float[] target = [0f, 1f, 0.2f, -1f];

        var huber = HuberLoss.Forward(input, target, delta: 1.5f);
        var smoothL1 = SmoothL1Loss.Forward(input, target, beta: 1.5f);

        Assert.Equal(1.5f * smoothL1, huber, 1e-6f);
    }

    [Theory]
    [InlineData(0.5f, LossReduction.Mean)]
    [InlineData(2f, LossReduction.Sum)]
    public void Backward_RandomInputs_MatchesFiniteDifferences(float delta, LossReduction reduction)
    {
        LossGradientCheck.Run(
            (input, target) => HuberLoss.Forward(input, target, delta, reduction),
            (input, target, gradient) => HuberLoss.Backward(input, target, gradient, delta, reduction),
            kinks: [-delta, delta]);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    public void Forward_NonPositiveDelta_Throws(float delta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.Forward([1f], [0f], delta));
    }
}

using Tempo.Algorithms.Dqn;

namespace Tempo.Algorithms.Tests.Dqn;

/// <summary>SB3's loss option: smooth L1 (Huber, δ = 1) of the TD error, and its gradient checked by finite differences.</summary>
public sealed class DqnHuberLossTests
{
    private static readonly float[] _q = [0.3f, -1.2f, 2.5f, 0.1f, -0.4f, 4.0f, 1.0f, 0.9f];
    private static readonly int[] _taken = [0, 1, 1, 0];
    private static readonly float[] _targets = [0.8f, 0.5f, -0.2f, 0.95f];
    private static readonly float[] _weights = [1f, 0.5f, 1f, 0.25f];

    [Fact]
    public void HuberLoss_IsTheMeanOfSmoothL1OverTheTakenActions()
    {
        var loss = DqnLoss.Loss(_q, _taken, _targets, _weights, new float[8], new float[4], out _, huber: true);

        // torch.nn.functional.smooth_l1_loss, weighted: ½e² for |e| < 1, |e| − ½ beyond; errors −0.5, −0.4, 4.2, 0.05.
        double[] errors = [0.3 - 0.8, 0.1 - 0.5, 4.0 - -0.2, 1.0 - 0.95];
        var expected = errors.Select((e, b) => _weights[b] * (Math.Abs(e) < 1 ? 0.5 * e * e : Math.Abs(e) - 0.5)).Average();
        Assert.Equal(expected, loss, 1e-6);
    }

    [Fact]
    public void HuberGradient_MatchesFiniteDifferences()
    {
        var gradient = new float[8];
        DqnLoss.Loss(_q, _taken, _targets, _weights, gradient, new float[4], out _, huber: true);

        const float h = 1e-3f;
        for (var i = 0; i < _q.Length; i++)
        {
            var plus = (float[])_q.Clone();
            var minus = (float[])_q.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (DqnLoss.Loss(plus, _taken, _targets, _weights, new float[8], new float[4], out _, huber: true)
                - DqnLoss.Loss(minus, _taken, _targets, _weights, new float[8], new float[4], out _, huber: true)) / (2 * h);
            Assert.Equal(numeric, gradient[i], 1e-3);
        }
    }

    [Fact]
    public void MaxGradNormOutOfRange_IsRejectedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new DqnOptions { MaxGradNorm = -1 }.Validate());

        Assert.Contains("max-grad-norm", error.Message, StringComparison.Ordinal);
    }
}

using Tempo.Algorithms.Impala;

namespace Tempo.Algorithms.Tests.Impala;

public sealed class ImpalaLossTests
{
    [Fact]
    public void Compute_TwoSamples_MatchesHandComputation()
    {
        float[] logProbs = [-0.5f, -1.5f];
        float[] entropy = [0.6f, 0.4f];
        float[] values = [1f, 2f];
        float[] vs = [3f, 1f];
        float[] advantages = [2f, -1f];
        var (logProbGradients, entropyGradients, valueGradients) = (new float[2], new float[2], new float[2]);

        var terms = ImpalaLoss.Compute(logProbs, entropy, values, vs, advantages, 0.5f, 0.01f, logProbGradients, entropyGradients, valueGradients);

        // pg = −(2·−0.5 + −1·−1.5)/2 = −0.25; baseline = 0.5·(4 + 1)/2 = 1.25; entropy = 0.5.
        Assert.Equal(-0.25, terms.PolicyLoss, 6);
        Assert.Equal(1.25, terms.BaselineLoss, 6);
        Assert.Equal(0.5, terms.Entropy, 6);
        Assert.Equal(-0.25 + (0.5 * 1.25) - (0.01 * 0.5), terms.Loss, 6);
        Assert.Equal([-1f, 0.5f], logProbGradients);
        Assert.Equal([-0.005f, -0.005f], entropyGradients);
        Assert.Equal([0.5f * -2f / 2, 0.5f * 1f / 2], valueGradients);
    }

    [Fact]
    public void Compute_Gradients_MatchFiniteDifferencesOfTheLoss()
    {
        float[] logProbs = [-0.3f, -2f, -0.9f];
        float[] entropy = [0.5f, 0.2f, 0.65f];
        float[] values = [0.1f, -0.7f, 1.3f];
        float[] vs = [0.4f, 0.2f, 0.9f];
        float[] advantages = [0.3f, -1.2f, 0.8f];
        var (logProbGradients, entropyGradients, valueGradients) = (new float[3], new float[3], new float[3]);
        ImpalaLoss.Compute(logProbs, entropy, values, vs, advantages, 0.7f, 0.05f, logProbGradients, entropyGradients, valueGradients);

        const float h = 1e-2f;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(logProbGradients[i], Central(logProbs, i), 3);
            Assert.Equal(entropyGradients[i], Central(entropy, i), 3);
            Assert.Equal(valueGradients[i], Central(values, i), 3);
        }

        double Central(float[] input, int i)
        {
            var saved = input[i];
            input[i] = saved + h;
            var plus = Loss();
            input[i] = saved - h;
            var minus = Loss();
            input[i] = saved;
            return (plus - minus) / (2 * h);
        }

        double Loss() =>
            ImpalaLoss.Compute(logProbs, entropy, values, vs, advantages, 0.7f, 0.05f, new float[3], new float[3], new float[3]).Loss;
    }

    [Fact]
    public void Compute_MismatchedLengths_ThrowsNamingTheBuffer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImpalaLoss.Compute(new float[2], new float[2], new float[3], new float[2], new float[2], 0.5f, 0.01f, new float[2], new float[2], new float[2]));

        Assert.Equal("values", error.ParamName);
    }
}

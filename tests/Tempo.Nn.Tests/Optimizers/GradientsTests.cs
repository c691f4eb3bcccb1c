using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Optimizers;

public sealed class GradientsTests
{
    [Fact]
    public void ClipGradNorm_NormAboveMax_ScalesAllGradientsAndReturnsNormBeforeClipping()
    {
        // ‖(3, 4, 12)‖ = 13; coefficient 6.5 / (13 + 1e-6).
        var parameters = WithGradients([3f, 4f], [12f]);

        var norm = Gradients.ClipGradNorm(parameters, 6.5f);

        Assert.Equal(13f, norm);
        var coefficient = 6.5f / (13f + 1e-6f);
        Assert.Equal([3f * coefficient, 4f * coefficient], parameters[0].Gradient.Span.ToArray());
        Assert.Equal(12f * coefficient, parameters[1].Gradient.Span[0]);
        Assert.Equal(6.5f, Gradients.GlobalNorm(parameters), 1e-5f);
    }

    [Fact]
    public void ClipGradNorm_NormBelowMax_LeavesGradientsUnchanged()
    {
        var parameters = WithGradients([0.3f, -0.4f], [1.2f]);

        var norm = Gradients.ClipGradNorm(parameters, 2f);

        Assert.Equal(1.3f, norm, 1e-6f);
        Assert.Equal([0.3f, -0.4f], parameters[0].Gradient.Span.ToArray());
        Assert.Equal(1.2f, parameters[1].Gradient.Span[0]);
    }

    [Fact]
    public void ClipGradNorm_LongGradients_MatchesDoublePrecisionNorm()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1003).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var parameters = WithGradients(values[..500], values[500..]);
        var expected = Math.Sqrt(values.Sum(v => (double)v * v));

        var norm = Gradients.ClipGradNorm(parameters, 1000f);

        Assert.Equal(expected, norm, 1e-5);
    }

    [Fact]
    public void ClipGradNorm_NaNGradient_SpreadsNaNAsTorchDoes()
    {
        var parameters = WithGradients([float.NaN, 1f], [2f]);

        var norm = Gradients.ClipGradNorm(parameters, 1f);

        Assert.True(float.IsNaN(norm));
        Assert.True(float.IsNaN(parameters[1].Gradient.Span[0]));
    }

    [Fact]
    public void ClipGradNorm_NegativeMaxNorm_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gradients.ClipGradNorm(WithGradients([1f]), -1f));
    }

    [Fact]
    public void ClipGradNorm_SteadyState_AllocatesNothing()
    {
        var parameters = WithGradients(new float[100], new float[7]);

        Assert.Equal(0, Allocations.OnThisThread(() => Gradients.ClipGradNorm(parameters, 1f), warmUp: 1, repetitions: 100));
    }

    [Fact]
    public void ZeroGrad_ParameterList_ClearsEveryGradientAndKeepsValues()
    {
        var parameters = WithGradients([1f, 2f], [3f]);
        parameters[0].Value.Span.Fill(5f);

        Gradients.ZeroGrad(parameters);

        Assert.Equal([0f, 0f], parameters[0].Gradient.Span.ToArray());
        Assert.Equal(0f, parameters[1].Gradient.Span[0]);
        Assert.Equal([5f, 5f], parameters[0].Value.Span.ToArray());
    }

    private static Parameter[] WithGradients(params float[][] gradients)
    {
        var parameters = new Parameter[gradients.Length];
        for (var i = 0; i < gradients.Length; i++)
        {
            parameters[i] = new Parameter($"p{i}", gradients[i].Length);
            gradients[i].CopyTo(parameters[i].Gradient.Span);
        }

        return parameters;
    }
}

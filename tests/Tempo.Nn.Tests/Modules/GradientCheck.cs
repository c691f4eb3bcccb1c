using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Tests.Modules;

/// <summary>Checks a module's analytic gradients against central finite differences of loss = Σ output ⊙ upstream, accumulated in double.</summary>
internal static class GradientCheck
{
    /// <summary>Compares the input gradient and every parameter gradient at up to <paramref name="samples"/> coordinates per tensor.</summary>
    /// <param name="module">The module under test (its gradients are zeroed first).</param>
    /// <param name="input">The input batch.</param>
    /// <param name="random">Chooses the upstream gradient and the sampled coordinates.</param>
    /// <param name="samples">Coordinates per tensor (all when the tensor is smaller).</param>
    /// <param name="epsilon">Half the central-difference step, in the perturbed value's units.</param>
    /// <param name="relative">Relative tolerance against max(|analytic|, |numeric|).</param>
    /// <param name="absolute">Absolute tolerance (float32 forward noise divided by the step).</param>
    /// <param name="inputEpsilon">The step for input coordinates (default: <paramref name="epsilon"/>), e.g. a pixel for pixel inputs.</param>
    public static void Assert(
        Module module, Tensor input, Random random, int samples = 24, double epsilon = 1e-2, double relative = 1e-2, double absolute = 1e-3, double? inputEpsilon = null)
    {
        var output = module.Forward(input);
        var upstream = new float[output.Length];
        for (var i = 0; i < upstream.Length; i++)
        {
            upstream[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var upstreamTensor = new Tensor(upstream, [.. output.Shape]);
        module.ZeroGradients();
        var analyticInput = module.Backward(upstreamTensor).Span.ToArray();
        var parameters = module.NamedParameters();
        var analyticParameters = parameters.Select(p => p.Parameter.Gradient.Span.ToArray()).ToArray();

        double Loss()
        {
            var y = module.Forward(input).Span;
            var sum = 0.0;
            for (var i = 0; i < y.Length; i++)
            {
                sum += (double)y[i] * upstream[i];
            }

            return sum;
        }

        CheckTensor("input", input, analyticInput, Loss, random, samples, inputEpsilon ?? epsilon, relative, absolute);

        for (var p = 0; p < parameters.Count; p++)
        {
            CheckTensor(parameters[p].Name, parameters[p].Parameter.Value, analyticParameters[p], Loss, random, samples, epsilon, relative, absolute);
        }
    }

    private static void CheckTensor(
        string name, Tensor values, float[] analytic, Func<double> loss, Random random, int samples, double epsilon, double relative, double absolute)
    {
        Xunit.Assert.Equal(values.Length, analytic.Length);
        var indices = values.Length <= samples
            ? Enumerable.Range(0, values.Length).ToArray()
            : Enumerable.Range(0, samples).Select(_ => random.Next(values.Length)).ToArray();
        foreach (var index in indices)
        {
            // ReLU networks are piecewise linear: a central difference is exact unless the step straddles a kink.
            // A mismatch is therefore retried with a 10× smaller step; a wrong analytic gradient fails at every step.
            var numeric = double.NaN;
            var matched = false;
            for (var step = epsilon; !matched && step >= epsilon / 10; step /= 10)
            {
                numeric = CentralDifference(values, index, step, loss);
                var error = Math.Abs(numeric - analytic[index]);
                var scale = Math.Max(Math.Abs(numeric), Math.Abs(analytic[index]));
                matched = error <= absolute + (relative * scale);
            }

            if (!matched)
            {
                Xunit.Assert.Fail($"∂loss/∂{name}[{index}]: analytic {analytic[index]:R}, finite difference {numeric:R} (error {Math.Abs(numeric - analytic[index]):E2}).");
            }
        }
    }

    private static double CentralDifference(Tensor values, int index, double step, Func<double> loss)
    {
        var original = values.Span[index];
        var plus = (float)(original + step);
        var minus = (float)(original - step);
        values.Span[index] = plus;
        var lossPlus = loss();
        values.Span[index] = minus;
        var lossMinus = loss();
        values.Span[index] = original;
        return (lossPlus - lossMinus) / ((double)plus - minus);
    }
}

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
    /// <param name="checkInput">Whether to check the input gradient as well.</param>
    public static void Assert(
        Module module, Tensor input, Random random, int samples = 24, double epsilon = 1e-2, double relative = 1e-2, double absolute = 1e-3, bool checkInput = true)
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

        if (checkInput)
        {
            CheckTensor("input", input, analyticInput, Loss, random, samples, epsilon, relative, absolute);
        }

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
            var span = values.Span;
            var original = span[index];
            var plus = (float)(original + epsilon);
            var minus = (float)(original - epsilon);
            span[index] = plus;
            var lossPlus = loss();
            values.Span[index] = minus;
            var lossMinus = loss();
            values.Span[index] = original;
            var numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            var error = Math.Abs(numeric - analytic[index]);
            var scale = Math.Max(Math.Abs(numeric), Math.Abs(analytic[index]));
            if (!(error <= absolute + (relative * scale)))
            {
                Xunit.Assert.Fail($"∂loss/∂{name}[{index}]: analytic {analytic[index]:R}, finite difference {numeric:R} (error {error:E2}).");
            }
        }
    }
}

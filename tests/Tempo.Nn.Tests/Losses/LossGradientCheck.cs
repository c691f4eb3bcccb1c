namespace Tempo.Nn.Tests.Losses;

/// <summary>Checks a loss's Backward against central finite differences of its own Forward.</summary>
internal static class LossGradientCheck
{
    public delegate float Forward(float[] input, float[] target);

    public delegate void Backward(float[] input, float[] target, float[] gradient);

    /// <param name="forward">The loss.</param>
    /// <param name="backward">Its gradient.</param>
    /// <param name="kinks">Differences where the loss is not twice differentiable; samples stay clear of them.</param>
    public static void Run(Forward forward, Backward backward, float[] kinks)
    {
        const float Step = 1e-2f;
        var random = new Random(17);
        var input = new float[12];
        var target = new float[12];
        for (var i = 0; i < input.Length; i++)
        {
            target[i] = (float)((random.NextDouble() * 4) - 2);
            float difference;
            do
            {
                difference = (float)((random.NextDouble() * 8) - 4);
            }
            while (kinks.Any(kink => Math.Abs(difference - kink) < 4 * Step));

            input[i] = target[i] + difference;
        }

        var gradient = new float[input.Length];
        backward(input, target, gradient);

        for (var i = 0; i < input.Length; i++)
        {
            var original = input[i];
            input[i] = original + Step;
            var plus = forward(input, target);
            input[i] = original - Step;
            var minus = forward(input, target);
            input[i] = original;

            // The losses are piecewise quadratic, so central differences are exact up to float32 rounding.
            var numeric = (plus - minus) / (2 * Step);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 2e-3 + (1e-3 * Math.Abs(gradient[i])), $"element {i}: finite difference {numeric}, analytic {gradient[i]}.");
        }
    }
}

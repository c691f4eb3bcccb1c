using System.Text.Json;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Ppo;

/// <summary>One CleanRL PPO minibatch step against PyTorch: outputs, loss terms, every gradient, the clipped Adam step.</summary>
public sealed class PpoFixtureTests
{
    [Fact]
    public void MinibatchStep_CleanRlFixture_MatchesPyTorch()
    {
        using var document = FixtureTensor.Load(FixturePaths.Torch, "ppo_discrete.json");
        var root = document.RootElement;
        var hyper = root.GetProperty("hyper");
        var observations = FixtureTensor.Read(root, "obs");
        var batch = observations.Shape[0];
        var actions = root.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()).ToArray();

        // The network's sizes come from the fixture, so other fixture sets (other shapes) test the same code.
        var parameters = root.GetProperty("params");
        int Dimension(string name, int axis) => parameters.GetProperty(name).GetProperty("shape")[axis].GetInt32();
        var model = new CategoricalMlpActorCritic(Dimension("actor.0.weight", 1), Dimension("actor.4.weight", 0), [Dimension("actor.0.weight", 0), Dimension("actor.2.weight", 0)], new Random(0));
        foreach (var named in model.NamedParameters)
        {
            var expected = FixtureTensor.Read(parameters, named.Name);
            Assert.Equal(expected.Shape, named.Parameter.Value.Shape);
            expected.Floats.CopyTo(named.Parameter.Value.Span);
        }

        var newLogProbs = new float[batch];
        var entropy = new float[batch];
        var newValues = new float[batch];
        model.Evaluate(observations.Floats, actions, batch, newLogProbs, entropy, newValues);

        // Every bound below is 2E, E a bound on either side's float32 error from the exact step (Reference: the
        // networks through BoundedStack, the categorical through DistributionBounds, the loss with its own roundings and
        // branch choices), so Tempo and torch agree within 2E.
        var reference = new Reference(root, actions);
        Float32Bounds.AssertWithin(FixtureTensor.Read(root, "new_logprobs").Data, newLogProbs, Twice(reference.LogProbError), "new_logprobs");
        Float32Bounds.AssertWithin(FixtureTensor.Read(root, "entropy").Data, entropy, Twice(reference.EntropyError), "entropy");
        Float32Bounds.AssertWithin(FixtureTensor.Read(root, "new_values").Data, newValues, Twice(reference.Critic.OutputError), "new_values");

        var advantages = FixtureTensor.Read(root, "advantages").Floats;
        if (hyper.GetProperty("norm_adv").GetBoolean())
        {
            PpoLoss.NormalizeAdvantages(advantages, advantages);
        }

        var coefficients = new PpoLossCoefficients(
            (float)hyper.GetProperty("clip_coef").GetDouble(),
            (float)hyper.GetProperty("ent_coef").GetDouble(),
            (float)hyper.GetProperty("vf_coef").GetDouble(),
            hyper.GetProperty("clip_vloss").GetBoolean());
        var logProbGradients = new float[batch];
        var entropyGradients = new float[batch];
        var valueGradients = new float[batch];
        var terms = PpoLoss.Compute(
            newLogProbs, FixtureTensor.Read(root, "old_logprobs").Floats, advantages, entropy, newValues,
            FixtureTensor.Read(root, "old_values").Floats, FixtureTensor.Read(root, "returns").Floats, coefficients,
            logProbGradients, entropyGradients, valueGradients);
        Float32Bounds.AssertWithin(root.GetProperty("pg_loss").GetDouble(), terms.PolicyLoss, 2 * reference.PolicyLossError, "pg_loss");
        Float32Bounds.AssertWithin(root.GetProperty("v_loss").GetDouble(), terms.ValueLoss, 2 * reference.ValueLossError, "v_loss");
        Float32Bounds.AssertWithin(root.GetProperty("entropy_loss").GetDouble(), terms.Entropy, 2 * reference.EntropyLossError, "entropy_loss");
        Float32Bounds.AssertWithin(root.GetProperty("loss").GetDouble(), terms.Loss, 2 * reference.LossError, "loss");
        Float32Bounds.AssertWithin(root.GetProperty("approx_kl").GetDouble(), terms.ApproxKl, 2 * reference.ApproxKlError, "approx_kl");
        Float32Bounds.AssertWithin(root.GetProperty("clipfrac").GetDouble(), terms.ClipFraction, reference.ClipFractionError, "clipfrac");

        var parameterList = model.NamedParameters.Select(p => p.Parameter).ToArray();
        Gradients.ZeroGrad(parameterList);
        model.Backward(logProbGradients, entropyGradients, valueGradients);
        var grads = root.GetProperty("grads");
        var gradientErrors = reference.GradientErrors;
        foreach (var named in model.NamedParameters)
        {
            Float32Bounds.AssertWithin(FixtureTensor.Read(grads, named.Name).Data, named.Parameter.Gradient.Span, Twice(gradientErrors[named.Name]), $"grad {named.Name}");
        }

        var gradientsBefore = model.NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.Gradient.Span.ToArray());
        var valuesBefore = model.NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.Value.Span.ToArray());
        var maxNorm = (float)hyper.GetProperty("max_grad_norm").GetDouble();
        var norm = Gradients.ClipGradNorm(parameterList, maxNorm);

        // The norm: torch's float32 lane-wise reduction and ours in double differ by at most normRelative·‖g‖ on the same
        // gradients (AdamTests.NormRelativeBound's derivation, at most ~(n/8 + 25)·u for n elements per tensor); the
        // gradients themselves differ by up to 2E each, which moves the norm by at most ‖2E‖ (triangle inequality).
        var torchNorm = root.GetProperty("grad_norm_before_clip").GetDouble();
        var gradientShift = Math.Sqrt(gradientErrors.Values.SelectMany(e => e).Sum(e => 4 * e * e));
        var normRelative = NormRelativeBound(model.NamedParameters.Select(p => p.Parameter.Gradient.Length));
        Float32Bounds.AssertWithin(torchNorm, norm, (normRelative * torchNorm) + gradientShift, "grad_norm_before_clip");
        var adam = new Adam(model.NamedParameters, new AdamOptions
        {
            LearningRate = hyper.GetProperty("lr").GetDouble(),
            Epsilon = hyper.GetProperty("adam_eps").GetDouble(),
        });
        adam.Step();

        // The first Adam step moves θ by lr·g'/(|g'| + ε) (m̂ = g', √v̂ = |g'|), g' = c·g the clipped gradient: its
        // sensitivity to g' is lr·ε/(|g'| + ε)², so the sides' gradient differences (2E·c, plus |g'| times the clip
        // coefficient's relative difference) reach the step only in that proportion. Adam's own ten or so roundings
        // add 10u of the update, and each side's rounding of θ − step half an ulp (as AdamTests derives).
        var after = root.GetProperty("params_after_adam_step");
        var learningRate = hyper.GetProperty("lr").GetDouble();
        var epsilon = hyper.GetProperty("adam_eps").GetDouble();
        var coefficient = Math.Min(1.0, maxNorm / (torchNorm + 1e-6));
        var coefficientRelative = coefficient < 1 ? normRelative + ((gradientShift + 1e-6) / torchNorm) + (2 * Float32Bounds.Unit) : 0;
        foreach (var named in model.NamedParameters)
        {
            var expected = FixtureTensor.Read(after, named.Name).Data;
            var bound = new double[expected.Length];
            for (var i = 0; i < expected.Length; i++)
            {
                var clipped = Math.Abs(gradientsBefore[named.Name][i] * coefficient);
                var gradientDifference = (coefficient * 2 * gradientErrors[named.Name][i]) + (clipped * coefficientRelative);
                var update = Math.Abs(valuesBefore[named.Name][i] - expected[i]);
                var magnitude = MathF.Abs((float)expected[i]);
                var ulp = (double)MathF.BitIncrement(magnitude) - magnitude;
                bound[i] = (learningRate * epsilon * gradientDifference / ((clipped + epsilon) * (clipped + epsilon))) + (update * 10 * Float32Bounds.Unit) + ulp;
            }

            Float32Bounds.AssertWithin(expected, named.Parameter.Value.Span, bound, $"param after step {named.Name}");
        }
    }

    private static double[] Twice(IEnumerable<double> errors) => errors.Select(e => 2 * e).ToArray();

    /// <summary>torch's lane-wise float32 norm against ours in double (AdamTests.NormRelativeBound: the chains of roundings of both).</summary>
    private static double NormRelativeBound(IEnumerable<int> tensorLengths)
    {
        static double Chain(int n) => new[] { 8, 16 }.Max(lanes => Math.Ceiling(n / (double)lanes) + (lanes - 1) + (n % lanes) + 1);
        static double SqrtOfSum(int n) => (Chain(n) / 2) + 0.5;
        var lengths = tensorLengths.ToArray();
        return (lengths.Max(SqrtOfSum) + 0.5 + SqrtOfSum(lengths.Length) + 1) * Float32Bounds.Unit;
    }

    /// <summary>CleanRL's minibatch step in double beside a bound E on either side's float32 error of every result.</summary>
    private sealed class Reference
    {
        private const double U = Float32Bounds.Unit;

        public Reference(JsonElement root, int[] actions)
        {
            var hyper = root.GetProperty("hyper");
            var parameters = root.GetProperty("params");
            var observations = FixtureTensor.Read(root, "obs");
            var (batch, inputs) = (observations.Shape[0], observations.Shape[1]);
            float[] Get(string name) => FixtureTensor.Read(parameters, name).Floats;
            int Rows(string name) => parameters.GetProperty(name).GetProperty("shape")[0].GetInt32();
            BoundedStack Mlp(string head) => new(batch, inputs, 1, 1, [
                new BoundedStack.Affine(Get($"{head}.0.weight"), Get($"{head}.0.bias"), Rows($"{head}.0.weight"), 1, 1),
                new BoundedStack.Tanh(),
                new BoundedStack.Affine(Get($"{head}.2.weight"), Get($"{head}.2.bias"), Rows($"{head}.2.weight"), 1, 1),
                new BoundedStack.Tanh(),
                new BoundedStack.Affine(Get($"{head}.4.weight"), Get($"{head}.4.bias"), Rows($"{head}.4.weight"), 1, 1),
            ]);
            var actor = Mlp("actor");
            Critic = Mlp("critic");
            actor.Forward(observations.Floats);
            Critic.Forward(observations.Floats);
            var categories = Rows("actor.4.weight");
            var rows = Enumerable.Range(0, batch)
                .Select(b => DistributionBounds.Categorical(
                    actor.Output.Skip(b * categories).Take(categories).Select(v => (float)v).ToArray(),
                    Enumerable.Range(b * categories, categories).Select(k => actor.OutputError[k] + (U * Math.Abs(actor.Output[k]))).ToArray()))
                .ToArray();

            // DistributionBounds starts from the exact logits rounded to float32, so their errors carry that rounding (u) too.
            LogProbError = rows.Select((r, b) => r.LogProbabilityErrors[actions[b]]).ToArray();
            EntropyError = rows.Select(r => r.EntropyError).ToArray();

            var clip = hyper.GetProperty("clip_coef").GetDouble();
            var entCoef = hyper.GetProperty("ent_coef").GetDouble();
            var vfCoef = hyper.GetProperty("vf_coef").GetDouble();
            var oldLogProbs = FixtureTensor.Read(root, "old_logprobs").Data;
            var oldValues = FixtureTensor.Read(root, "old_values").Data;
            var returns = FixtureTensor.Read(root, "returns").Data;
            var (advantages, advantageErrors) = Advantages(FixtureTensor.Read(root, "advantages").Data, hyper.GetProperty("norm_adv").GetBoolean());
            var clipVloss = hyper.GetProperty("clip_vloss").GetBoolean();

            double policyLoss = 0, policyError = 0, policyMagnitude = 0;
            double valueLoss = 0, valueError = 0, valueMagnitude = 0;
            double entropySum = 0, entropyErrorSum = 0;
            double klError = 0, klMagnitude = 0, ambiguousClips = 0;
            var logProbUpstream = new double[batch];
            var logProbUpstreamError = new double[batch];
            var valueUpstream = new double[batch];
            var valueUpstreamError = new double[batch];
            for (var i = 0; i < batch; i++)
            {
                var row = rows[i];
                var newLogProb = row.LogProbabilities[actions[i]];
                var logRatio = newLogProb - oldLogProbs[i];
                var logRatioError = LogProbError[i] + (U * Math.Abs(logRatio));
                var ratio = Math.Exp(logRatio);
                var ratioRelative = logRatioError + (2 * U);
                var ratioError = ratio * ratioRelative * (1 + (2 * ratioRelative));
                var (a, ae) = (advantages[i], advantageErrors[i]);

                // max(−Â·r, −Â·clamp(r)) is 1-Lipschitz in each product; each product rounds once, the clamp is exact.
                var unclipped = -a * ratio;
                var clipped = -a * Math.Clamp(ratio, 1 - clip, 1 + clip);
                var term = Math.Max(unclipped, clipped);
                var termError = (Math.Abs(a) * ratioError) + ((ratio + ratioError) * ae) + (U * (Math.Abs(a) + ae) * (ratio + ratioError)) + (U * Math.Abs(a) * (1 + clip));
                policyLoss += term;
                policyError += termError;
                policyMagnitude += Math.Abs(term) + termError;

                // ∂term/∂log p = −Â·r while the unclipped product is the larger (3 roundings with ·r/B); the branch may
                // differ between the sides where r lies within its error (and the clamp bounds' rounding) of 1 ± ε.
                var nearEdge = Math.Abs(Math.Abs(ratio - 1) - clip) <= ratioError + (2 * U);
                logProbUpstream[i] = (unclipped >= clipped ? -a * ratio : 0) / batch;
                logProbUpstreamError[i] = nearEdge
                    ? ((Math.Abs(a) + ae) * (ratio + ratioError) / batch) + Math.Abs(logProbUpstream[i])
                    : unclipped >= clipped ? ((Math.Abs(a) * ratioError) + (ratio * ae) + (ae * ratioError) + (3 * U * (Math.Abs(a) + ae) * (ratio + ratioError))) / batch : 0;

                // approx_kl's term (r − 1) − log r: three roundings on terms of size |r − 1| and |log r|.
                klError += ratioError + logRatioError + (3 * U * (Math.Abs(ratio - 1) + Math.Abs(logRatio) + ratioError + logRatioError));
                klMagnitude += Math.Abs(ratio - 1 - logRatio);
                if (nearEdge)
                {
                    ambiguousClips++;
                }

                entropySum += row.Entropy;
                entropyErrorSum += EntropyError[i];

                var v = Critic.Output[i];
                var ve = Critic.OutputError[i];
                var (square, squareError, gradient, gradientError) = ValueTerm(v, ve, oldValues[i], returns[i], clip, clipVloss);
                valueLoss += square;
                valueError += squareError;
                valueMagnitude += square + squareError;
                valueUpstream[i] = vfCoef * 0.5 * gradient / batch;
                valueUpstreamError[i] = (vfCoef * 0.5 * gradientError / batch) + (4 * U * vfCoef * 0.5 * (Math.Abs(gradient) + gradientError) / batch);
            }

            // Means: a sum of B terms and a division (γ_(B+1)); v_loss has a half more (exact).
            PolicyLossError = (policyError + (Float32Bounds.Gamma(batch + 1) * policyMagnitude)) / batch;
            ValueLossError = 0.5 * (valueError + (Float32Bounds.Gamma(batch + 2) * valueMagnitude)) / batch;
            EntropyLossError = (entropyErrorSum + (Float32Bounds.Gamma(batch + 1) * (Math.Abs(entropySum) + entropyErrorSum))) / batch;
            ApproxKlError = (klError + (Float32Bounds.Gamma(batch + 1) * (klMagnitude + klError))) / batch;
            // A ratio within its error of 1 ± ε may count on either side; torch's mean of the 0/1 flags rounds once (u).
            ClipFractionError = (ambiguousClips / batch) + U;
            var (pg, vl, ent) = (policyLoss / batch, 0.5 * valueLoss / batch, entropySum / batch);

            // loss = pg − c_e·H̄ + c_v·v_loss: two products and two sums, and the coefficients' float32 roundings.
            LossError = PolicyLossError + (entCoef * EntropyLossError) + (vfCoef * ValueLossError)
                + (5 * U * (Math.Abs(pg) + (entCoef * Math.Abs(ent)) + (vfCoef * Math.Abs(vl)) + PolicyLossError + EntropyLossError + ValueLossError));

            // ∂L/∂z_j = g_lp·(1[j = a] − p_j) − g_H·p_j·(log p_j + H), g_H = −c_e/B, through the actor; ∂L/∂V through the critic.
            var entropyUpstream = -entCoef / batch;
            var logitUpstream = new double[batch * categories];
            var logitUpstreamError = new double[batch * categories];
            for (var i = 0; i < batch; i++)
            {
                var (gradient, error) = DistributionBounds.CategoricalBackward(rows[i], actions[i], logProbUpstream[i], logProbUpstreamError[i], entropyUpstream);
                gradient.CopyTo(logitUpstream, i * categories);
                error.CopyTo(logitUpstreamError, i * categories);
            }

            actor.Backward(logitUpstream, logitUpstreamError);
            Critic.Backward(valueUpstream, valueUpstreamError);
            string[] layers = ["0", "2", "4"];
            GradientErrors = [];
            foreach (var (head, stack) in new[] { ("actor", actor), ("critic", Critic) })
            {
                for (var l = 0; l < layers.Length; l++)
                {
                    GradientErrors[$"{head}.{layers[l]}.weight"] = stack.Gradients[l].WeightError;
                    GradientErrors[$"{head}.{layers[l]}.bias"] = stack.Gradients[l].BiasError;
                }
            }
        }

        public BoundedStack Critic { get; }

        public double[] LogProbError { get; }

        public double[] EntropyError { get; }

        public double PolicyLossError { get; }

        public double ValueLossError { get; }

        public double EntropyLossError { get; }

        public double LossError { get; }

        public double ApproxKlError { get; }

        public double ClipFractionError { get; }

        public Dictionary<string, double[]> GradientErrors { get; }

        /// <summary>
        /// (A − mean)/(std + 1e-8), std unbiased. The mean's error e_m leaves the sum of squared deviations unchanged to
        /// first order (Σ(A − m) = 0), so std is within γ_(B+2)/2 + B·e_m²/(2Σd²) + 2u relative (squares, sum, sqrt, + eps);
        /// each Â then within s·(e_m + u|A − m|) + |Â|·(that + 2u), s = 1/(std + 1e-8), e_m = γ_B·mean|A| + u|m|.
        /// </summary>
        private static (double[] Values, double[] Errors) Advantages(double[] advantages, bool normalize)
        {
            if (!normalize)
            {
                return (advantages, new double[advantages.Length]);
            }

            var n = advantages.Length;
            var mean = advantages.Average();
            var squares = advantages.Sum(a => (a - mean) * (a - mean));
            var scale = 1 / (Math.Sqrt(squares / (n - 1)) + 1e-8);
            var meanError = (Float32Bounds.Gamma(n) * advantages.Average(Math.Abs)) + (U * Math.Abs(mean));
            var stdRelative = (Float32Bounds.Gamma(n + 2) / 2) + (n * meanError * meanError / (2 * squares)) + (2 * U);
            var values = advantages.Select(a => (a - mean) * scale).ToArray();
            var errors = advantages.Select((a, i) => (scale * (meanError + (U * Math.Abs(a - mean)))) + (Math.Abs(values[i]) * (stdRelative + (2 * U)))).ToArray();
            return (values, errors);
        }

        /// <summary>
        /// The value term max((V − R)², (V_clip − R)²) (or (V − R)² alone) and ∂/∂V of it, with bounds: a square of
        /// x ± e moves by 2|x|e + e² and rounds twice; V_clip = V_old + clamp(V − V_old, ±ε) rounds twice. Where the two
        /// squares lie within their errors of each other, or V − V_old within its error of ±ε, either branch's gradient
        /// may be taken.
        /// </summary>
        private static (double Square, double SquareError, double Gradient, double GradientError) ValueTerm(double v, double ve, double oldValue, double target, double clip, bool clipVloss)
        {
            var error = v - target;
            var errorBound = ve + (U * (Math.Abs(v) + Math.Abs(target)));
            var square = error * error;
            var squareError = (2 * Math.Abs(error) * errorBound) + (errorBound * errorBound) + (U * (Math.Abs(error) + errorBound) * (Math.Abs(error) + errorBound));
            if (!clipVloss)
            {
                return (square, squareError, 2 * error, 2 * errorBound);
            }

            var offset = v - oldValue;
            var offsetError = ve + (U * (Math.Abs(v) + Math.Abs(oldValue)));
            var clippedValue = oldValue + Math.Clamp(offset, -clip, clip);
            var clippedError = clippedValue - target;
            var clippedBound = offsetError + (2 * U * (Math.Abs(oldValue) + clip + Math.Abs(clippedValue) + Math.Abs(target)));
            var clippedSquare = clippedError * clippedError;
            var clippedSquareError = (2 * Math.Abs(clippedError) * clippedBound) + (clippedBound * clippedBound) + (U * (Math.Abs(clippedError) + clippedBound) * (Math.Abs(clippedError) + clippedBound));
            var inside = Math.Abs(offset) <= clip;
            var clippedGradient = inside ? 2 * clippedError : 0;
            var gradient = square >= clippedSquare ? 2 * error : clippedGradient;
            var ambiguous = Math.Abs(square - clippedSquare) <= squareError + clippedSquareError || Math.Abs(Math.Abs(offset) - clip) <= offsetError + (2 * U);
            var gradientError = ambiguous
                ? (2 * (Math.Abs(error) + errorBound)) + (2 * (Math.Abs(clippedError) + clippedBound))
                : square >= clippedSquare ? 2 * errorBound : (inside ? 2 * clippedBound : 0);
            return (Math.Max(square, clippedSquare), Math.Max(squareError, clippedSquareError), gradient, gradientError);
        }
    }
}

using System.Text.Json;
using Tempo.Tests.Shared;
using static Tempo.Tests.Shared.BoundedScalar;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>
/// sac_continuous_action.py's update in double beside a bound E on each float32 result's error, for Tempo's order of
/// operations and for PyTorch's (its forward and its autograd's backward), so the two are held to E_Tempo + E_torch.
/// </summary>
/// <remarks>
/// <para>The networks are <see cref="BoundedStack"/>s (any float32 GEMM within γ_n of exact, a ReLU input within E of
/// zero may switch). The actor's two heads are one affine map of 2|A| outputs ([mean | pre-tanh log std]). Where a
/// network's input or upstream gradient differs between the sides, the stack runs once with the larger of the two
/// bounds per element, which bounds either side.</para>
/// <para>The squashed Gaussian (<see cref="BoundedScalar"/> per operation): Tempo forms log N(u; μ, σ) as
/// −ε²/2 − log σ − ½log 2π, PyTorch as −(u − μ)²/(2σ²) − log σ − log√(2π) from its rounded u = μ + σε, so PyTorch's
/// u − μ carries u's rounding, u·|μ + σε|, which is large beside σε when σ is small: that step is written out by hand,
/// since μ's own error cancels in it. In the backward pass PyTorch reaches ∂/∂μ through u and through the Normal's loc,
/// which cancel exactly in exact arithmetic (one computed value added and subtracted: two roundings of the magnitudes
/// it passes through, again by hand), and ∂/∂σ through σ², log σ and u, whose first and last cancel up to their
/// roundings. The α·log π and min(Q1, Q2) branches: min is 1-Lipschitz in value; where the two critics are within
/// their bounds of each other either may take the gradient (or both, halved, at a tie), so the action gradient's
/// bound covers every candidate.</para>
/// </remarks>
internal sealed class SacReference
{
    private const double LogStdMin = -5;
    private const double LogStdMax = 2;

    private readonly JsonElement _fixture;
    private readonly int[] _hidden;
    private readonly int _batch;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly double[] _scale;
    private readonly double[] _bias;
    private readonly BoundedScalar _alpha;

    public SacReference(JsonElement fixture, int observationSize, int actionSize)
    {
        _fixture = fixture;
        _hidden = fixture.GetProperty("hidden_sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        _observationSize = observationSize;
        _actionSize = actionSize;
        _batch = FixtureTensor.Read(fixture, "observations").Data.Length / observationSize;
        var low = FixtureTensor.Read(fixture, "low").Floats;
        var high = FixtureTensor.Read(fixture, "high").Floats;

        // (high − low)/2 and (high + low)/2 as both sides form them in float32: the same floats.
        _scale = low.Select((l, j) => (double)((high[j] - l) / 2f)).ToArray();
        _bias = low.Select((l, j) => (double)((high[j] + l) / 2f)).ToArray();

        // α = exp(log α): PyTorch's float32 exp and Tempo's double exp cast to float are both within 2u.
        var logAlpha = FixtureTensor.Read(State, "log_alpha").Floats[0];
        _alpha = Exp(Exact(logAlpha));
    }

    /// <summary>The critics' losses (exact, with the sum of both sides' bounds) and their gradients (exact, one bound E for either side).</summary>
    public ((double Value, double Bound) Qf1Loss, (double Value, double Bound) Qf2Loss, Dictionary<string, (double[] Gradient, double[] Error)> Gradients) Critic()
    {
        var next = Floats("next_observations");
        var actor = Actor(next);
        var noise = Floats("next_noise");
        var tempo = Sample(actor, noise, SquashedGaussianOrder.Tempo);
        var torch = Sample(actor, noise, SquashedGaussianOrder.Torch);
        var nextActions = tempo.Actions.Select((a, i) => a.Widened(torch.Actions[i].Error)).ToArray();
        var q1Target = Critic("qf1_target", next, nextActions);
        var q2Target = Critic("qf2_target", next, nextActions);
        var rewards = FixtureTensor.Read(_fixture, "rewards").Data;
        var discounts = FixtureTensor.Read(_fixture, "discounts").Data;

        // y = r + γ(1 − d)(min Q′ − α log π′): the same four roundings on both sides.
        var targets = new BoundedScalar[_batch];
        for (var b = 0; b < _batch; b++)
        {
            var minimum = Min(new(q1Target.Output[b], q1Target.OutputError[b]), new(q2Target.Output[b], q2Target.OutputError[b]));
            var logProb = tempo.LogProbs[b].Widened(torch.LogProbs[b].Error);
            targets[b] = Exact(rewards[b]) + (Exact(discounts[b]) * (minimum - (_alpha * logProb)));
        }

        var observations = Floats("observations");
        var actions = Floats("actions").Select(a => Exact(a)).ToArray();
        var gradients = new Dictionary<string, (double[] Gradient, double[] Error)>();
        (double, double) Loss(string critic)
        {
            var stack = Critic(critic, observations, actions);
            var squares = new BoundedScalar[_batch];
            var upstream = new double[_batch];
            var upstreamError = new double[_batch];
            for (var b = 0; b < _batch; b++)
            {
                var delta = new BoundedScalar(stack.Output[b], stack.OutputError[b]) - targets[b];
                squares[b] = delta * delta;

                // MSE's gradient 2(q − y)/B: a product and a division on both sides.
                var gradient = Exact(2) * delta / Exact(_batch);
                (upstream[b], upstreamError[b]) = (gradient.Value, gradient.Error);
            }

            stack.Backward(upstream, upstreamError);
            AddGradients(gradients, critic, stack, CriticNames(critic));

            // The mean of the squares: a sum of B terms and a division, then Tempo's cast of its double sum to float.
            var loss = (Sum(squares) / Exact(_batch)).Round();
            return (loss.Value, 2 * loss.Error);
        }

        var qf1Loss = Loss("qf1");
        var qf2Loss = Loss("qf2");
        return (qf1Loss, qf2Loss, gradients);
    }

    /// <summary>The actor's loss (exact, both sides' bounds summed) and its gradients (exact, one bound E for either side).</summary>
    public ((double Value, double Bound) Loss, Dictionary<string, (double[] Gradient, double[] Error)> Gradients) ActorStep()
    {
        var observations = Floats("observations");
        var actor = Actor(observations);
        var noise = Floats("actor_noise");
        var tempo = Sample(actor, noise, SquashedGaussianOrder.Tempo);
        var torch = Sample(actor, noise, SquashedGaussianOrder.Torch);
        var actions = tempo.Actions.Select((a, i) => a.Widened(torch.Actions[i].Error)).ToArray();
        var q1 = Critic("qf1", observations, actions);
        var q2 = Critic("qf2", observations, actions);

        // Each critic's ∂(−Q/B)/∂a as if it were the minimum in every row; rows are independent.
        var upstream = Enumerable.Repeat(-1.0 / _batch, _batch).ToArray();
        q1.Backward(upstream);
        q2.Backward(upstream);
        var n = _actionSize;
        var width = _observationSize + n;
        var actionGradient = new BoundedScalar[_batch * n];
        var lossTerms = (Tempo: new BoundedScalar[_batch], Torch: new BoundedScalar[_batch]);
        for (var b = 0; b < _batch; b++)
        {
            var (first, second) = (new BoundedScalar(q1.Output[b], q1.OutputError[b]), new BoundedScalar(q2.Output[b], q2.OutputError[b]));
            var minimum = Min(first, second);
            lossTerms.Tempo[b] = (_alpha * tempo.LogProbs[b]) - minimum;
            lossTerms.Torch[b] = (_alpha * torch.LogProbs[b]) - minimum;
            var firstIsMin = first.Value <= second.Value;
            var ambiguous = Math.Abs(first.Value - second.Value) <= first.Error + second.Error;
            for (var j = 0; j < n; j++)
            {
                var i = (b * width) + _observationSize + j;
                var (g1, e1, g2, e2) = (q1.InputGradient.Gradient[i], q1.InputGradient.Error[i], q2.InputGradient.Gradient[i], q2.InputGradient.Error[i]);
                var chosen = firstIsMin ? g1 : g2;
                var error = firstIsMin ? e1 : e2;
                if (ambiguous)
                {
                    error = Math.Max(Math.Abs(g1 - chosen) + e1, Math.Abs(g2 - chosen) + e2);
                }

                actionGradient[(b * n) + j] = new(chosen, error);
            }
        }

        // ∂L/∂log π = α/B, one rounding on both sides.
        var logProbGradient = _alpha * Exact(1.0 / _batch);
        var tempoUpstream = Backward(noise, tempo, logProbGradient, actionGradient, SquashedGaussianOrder.Tempo);
        var torchUpstream = Backward(noise, torch, logProbGradient, actionGradient, SquashedGaussianOrder.Torch);
        var combined = tempoUpstream.Select((g, i) => g.Widened(torchUpstream[i].Error)).ToArray();
        actor.Backward(combined.Select(g => g.Value).ToArray(), combined.Select(g => g.Error).ToArray());
        var gradients = new Dictionary<string, (double[] Gradient, double[] Error)>();
        AddGradients(gradients, "actor", actor, ActorNames());

        // The mean over the batch (Tempo sums in double and casts; PyTorch's mean is a float sum and a division).
        var tempoLoss = (Sum(lossTerms.Tempo) / Exact(_batch)).Round();
        var torchLoss = (Sum(lossTerms.Torch) / Exact(_batch)).Round();
        return ((tempoLoss.Value, tempoLoss.Error + torchLoss.Error + Math.Abs(tempoLoss.Value - torchLoss.Value)), gradients);
    }

    /// <summary>The α loss and log α's gradient: exact values and both sides' bounds summed.</summary>
    public ((double Value, double Bound) Loss, (double Value, double Bound) Gradient) AlphaStep()
    {
        var observations = Floats("observations");
        var actor = Actor(observations);
        var noise = Floats("alpha_noise");
        var tempo = Sample(actor, noise, SquashedGaussianOrder.Tempo);
        var torch = Sample(actor, noise, SquashedGaussianOrder.Torch);
        var targetEntropy = Exact(-_actionSize);

        // Tempo: Σ −α(log π + H̄) in double, / B, cast; its gradient is that loss (∂/∂log α of −e^{log α}·c is the term).
        var tempoLoss = (Sum(tempo.LogProbs.Select(lp => -_alpha * (lp + targetEntropy)).ToArray()) / Exact(_batch)).Round();

        // PyTorch: the mean of −exp(log α)·(log π + H̄); autograd's gradient is −exp(log α)·Σ (log π + H̄)·(1/B).
        var torchLoss = Sum(torch.LogProbs.Select(lp => -_alpha * (lp + targetEntropy)).ToArray()) / Exact(_batch);
        var torchGradient = -_alpha * Sum(torch.LogProbs.Select(lp => (lp + targetEntropy) * Exact(1.0 / _batch)).ToArray());
        return (
            (tempoLoss.Value, tempoLoss.Error + torchLoss.Error + Math.Abs(tempoLoss.Value - torchLoss.Value)),
            (tempoLoss.Value, tempoLoss.Error + torchGradient.Error + Math.Abs(tempoLoss.Value - torchGradient.Value)));
    }

    private enum SquashedGaussianOrder
    {
        Tempo,
        Torch,
    }

    private JsonElement State => _fixture.GetProperty("state");

    private float[] Floats(string name) => FixtureTensor.Read(_fixture, name).Floats;

    private float[] Parameter(string name) => FixtureTensor.Read(State, name).Floats;

    /// <summary>The actor's trunk and its two heads as one affine map: outputs [mean | pre-tanh log std] per row.</summary>
    private BoundedStack Actor(float[] observations)
    {
        var layers = new List<BoundedStack.Layer>();
        for (var i = 0; i < _hidden.Length; i++)
        {
            layers.Add(new BoundedStack.Affine(Parameter($"actor.fc{i + 1}.weight"), Parameter($"actor.fc{i + 1}.bias"), _hidden[i], 1, 1));
            layers.Add(new BoundedStack.Relu());
        }

        layers.Add(new BoundedStack.Affine(
            [.. Parameter("actor.fc_mean.weight"), .. Parameter("actor.fc_logstd.weight")],
            [.. Parameter("actor.fc_mean.bias"), .. Parameter("actor.fc_logstd.bias")],
            2 * _actionSize,
            1,
            1));
        var stack = new BoundedStack(_batch, _observationSize, 1, 1, layers);
        stack.Forward(observations);
        return stack;
    }

    private string[] ActorNames() =>
        [.. Enumerable.Range(1, _hidden.Length).SelectMany(i => new[] { $"actor.fc{i}.weight", $"actor.fc{i}.bias" }), "actor.fc_mean.weight", "actor.fc_mean.bias", "actor.fc_logstd.weight", "actor.fc_logstd.bias"];

    /// <summary>A critic on [observation | action] rows whose actions are known within their bounds.</summary>
    private BoundedStack Critic(string name, float[] observations, BoundedScalar[] actions)
    {
        var n = _actionSize;
        var width = _observationSize + n;
        var input = new double[_batch * width];
        var inputError = new double[input.Length];
        for (var b = 0; b < _batch; b++)
        {
            for (var k = 0; k < _observationSize; k++)
            {
                input[(b * width) + k] = observations[(b * _observationSize) + k];
            }

            for (var j = 0; j < n; j++)
            {
                (input[(b * width) + _observationSize + j], inputError[(b * width) + _observationSize + j]) = (actions[(b * n) + j].Value, actions[(b * n) + j].Error);
            }
        }

        var layers = new List<BoundedStack.Layer>();
        for (var i = 0; i < _hidden.Length; i++)
        {
            layers.Add(new BoundedStack.Affine(Parameter($"{name}.fc{i + 1}.weight"), Parameter($"{name}.fc{i + 1}.bias"), _hidden[i], 1, 1));
            layers.Add(new BoundedStack.Relu());
        }

        layers.Add(new BoundedStack.Affine(Parameter($"{name}.fc{_hidden.Length + 1}.weight"), Parameter($"{name}.fc{_hidden.Length + 1}.bias"), 1, 1, 1));
        var stack = new BoundedStack(_batch, width, 1, 1, layers);
        stack.Forward(input, inputError);
        return stack;
    }

    private string[] CriticNames(string name) =>
        [.. Enumerable.Range(1, _hidden.Length + 1).SelectMany(i => new[] { $"{name}.fc{i}.weight", $"{name}.fc{i}.bias" })];

    /// <summary>The stack's gradients by parameter name; the actor's joint head is split back into fc_mean and fc_logstd.</summary>
    private void AddGradients(Dictionary<string, (double[] Gradient, double[] Error)> gradients, string network, BoundedStack stack, string[] names)
    {
        var list = stack.Gradients.SelectMany(g => new (double[] Gradient, double[] Error)[] { (g.Weight, g.WeightError), (g.Bias, g.BiasError) }).ToList();
        if (network == "actor")
        {
            var (weight, bias) = (list[^2], list[^1]);
            var half = weight.Gradient.Length / 2;
            list.RemoveRange(list.Count - 2, 2);
            list.AddRange([(weight.Gradient[..half], weight.Error[..half]), (bias.Gradient[.._actionSize], bias.Error[.._actionSize]), (weight.Gradient[half..], weight.Error[half..]), (bias.Gradient[_actionSize..], bias.Error[_actionSize..])]);
        }

        for (var i = 0; i < names.Length; i++)
        {
            gradients[names[i]] = list[i];
        }
    }

    /// <summary>One side's squashed-Gaussian sample, per row and dimension, with what its backward pass reads.</summary>
    private sealed record Sampled(BoundedScalar[] Actions, BoundedScalar[] LogProbs, Intermediate[] Steps);

    /// <summary>
    /// Per element: tanh of the log-std head t, log σ, σ, σε, the squashed y and (PyTorch) u − μ and the tanh
    /// correction's argument w = scale(1 − y²) + 1e-6.
    /// </summary>
    private sealed record Intermediate(BoundedScalar T, BoundedScalar LogStd, BoundedScalar Std, BoundedScalar Y, BoundedScalar Deviation, BoundedScalar W);

    private Sampled Sample(BoundedStack actor, float[] noise, SquashedGaussianOrder order)
    {
        var n = _actionSize;
        var actions = new BoundedScalar[_batch * n];
        var logProbs = new BoundedScalar[_batch];
        var steps = new Intermediate[_batch * n];

        // ½·log 2π: Tempo's 0.5f·MathF.Log(2f·MathF.PI) (π's rounding, the log's 2u: within 4u); PyTorch's
        // math.log(math.sqrt(2π)) in double, rounded to float32 (u).
        var constant = Constant(0.5 * Math.Log(2 * Math.PI), order == SquashedGaussianOrder.Tempo ? 4 : 1);
        var epsilon = Exact(1e-6f);
        for (var b = 0; b < _batch; b++)
        {
            var terms = new BoundedScalar[n];
            for (var j = 0; j < n; j++)
            {
                var o = b * 2 * n;
                var mean = new BoundedScalar(actor.Output[o + j], actor.OutputError[o + j]);
                var z = new BoundedScalar(actor.Output[o + n + j], actor.OutputError[o + n + j]);
                var e = noise[(b * n) + j];

                // log σ = min + ½(max − min)(tanh z + 1), the same three roundings on both sides.
                var t = Tanh(z);
                var logStd = Exact(LogStdMin) + (Exact(0.5 * (LogStdMax - LogStdMin)) * (t + Exact(1)));
                var std = Exp(logStd);
                var spread = std * Exact(e);
                var u = mean + spread;
                var y = Tanh(u);
                actions[(b * n) + j] = (y * Exact(_scale[j])) + Exact(_bias[j]);
                var w = (Exact(_scale[j]) * (Exact(1) - (y * y))) + epsilon;
                BoundedScalar deviation = default;
                if (order == SquashedGaussianOrder.Tempo)
                {
                    // (−0.5·ε)·ε − log σ − ½log 2π − log w: −0.5·ε is exact.
                    terms[j] = (Exact(-0.5 * e) * Exact(e)) - logStd - constant - Log(w);
                }
                else
                {
                    // u − μ from PyTorch's rounded u: σε's own error, u's rounding (μ's error cancels, μ being the same
                    // float in both), and the subtraction's rounding.
                    var rounding = Float32Bounds.Unit * (mean.Magnitude + spread.Magnitude);
                    var deviationError = spread.Error + rounding;
                    deviation = new BoundedScalar(spread.Value, deviationError + (Float32Bounds.Unit * (Math.Abs(spread.Value) + deviationError)));
                    var variance = std * std;
                    var normal = (-(deviation * deviation) / (Exact(2) * variance)) - Log(std) - constant;
                    terms[j] = normal - Log(w);
                }

                steps[(b * n) + j] = new Intermediate(t, logStd, std, y, deviation, w);
            }

            logProbs[b] = Sum(terms);
        }

        return new Sampled(actions, logProbs, steps);
    }

    /// <summary>∂L/∂[mean | pre-tanh log std] per row from ∂L/∂log π (per row) and ∂L/∂action (per element), in one side's order.</summary>
    private BoundedScalar[] Backward(float[] noise, Sampled sample, BoundedScalar logProbGradient, BoundedScalar[] actionGradient, SquashedGaussianOrder order)
    {
        var n = _actionSize;
        var upstream = new BoundedScalar[_batch * 2 * n];
        var epsilon = Exact(1e-6f);
        for (var b = 0; b < _batch; b++)
        {
            for (var j = 0; j < n; j++)
            {
                var i = (b * n) + j;
                var s = sample.Steps[i];
                var e = Exact(noise[i]);
                var scale = Exact(_scale[j]);
                var gAction = actionGradient[i];
                BoundedScalar gMean, gZ;
                if (order == SquashedGaussianOrder.Tempo)
                {
                    // SquashedGaussian.Backward, then SacActor's log-std head with tanh z read back from log σ.
                    var slope = scale * (Exact(1) - (s.Y * s.Y));
                    var correction = Exact(2) * s.Y * slope / (slope + epsilon);
                    var gU = (logProbGradient * correction) + (gAction * slope);
                    gMean = gU;
                    var gLogStd = (gU * Exp(s.LogStd) * e) - logProbGradient;
                    var t = (Exact(2) * (s.LogStd - Exact(LogStdMin)) / Exact(LogStdMax - LogStdMin)) - Exact(1);
                    gZ = gLogStd * Exact(0.5) * Exact(LogStdMax - LogStdMin) * (Exact(1) - (t * t));
                }
                else
                {
                    // Autograd, node by node: −log w, the action, tanh, the Normal's log-density, u = μ + σε, exp, the log-std head.
                    var gYCorrection = -(-logProbGradient / s.W * scale) * (Exact(2) * s.Y);
                    var gY = gYCorrection + (gAction * scale);
                    var gTanh = gY * (Exact(1) - (s.Y * s.Y));
                    var twoVariance = Exact(2) * (s.Std * s.Std);
                    var square = s.Deviation * s.Deviation;
                    var gDeviation = -(logProbGradient / twoVariance) * (Exact(2) * s.Deviation);
                    var gTwoVariance = -logProbGradient * (-square / twoVariance / twoVariance);
                    var gStdFromVariance = gTwoVariance * Exact(2) * (Exact(2) * s.Std);
                    var gStdFromLog = -logProbGradient / s.Std;
                    var gU = gTanh + gDeviation;
                    var gStd = Sum([gStdFromVariance, gStdFromLog, gU * e]);

                    // ∂/∂μ = fl(fl(gTanh + ĝ) − ĝ) for the same computed ĝ = gDeviation: gTanh plus the two roundings.
                    var through = gTanh.Magnitude + gDeviation.Magnitude;
                    var meanError = gTanh.Error + (Float32Bounds.Unit * through) + (Float32Bounds.Unit * (gTanh.Magnitude + (Float32Bounds.Unit * through)));
                    gMean = new BoundedScalar(gTanh.Value, meanError);
                    var gLogStd = gStd * s.Std;
                    gZ = gLogStd * Exact(0.5 * (LogStdMax - LogStdMin)) * (Exact(1) - (s.T * s.T));
                }

                upstream[(b * 2 * n) + j] = gMean;
                upstream[(b * 2 * n) + n + j] = gZ;
            }
        }

        return upstream;
    }
}

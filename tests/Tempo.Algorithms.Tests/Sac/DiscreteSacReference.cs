using System.Text.Json;
using Tempo.Tests.Shared;
using static Tempo.Tests.Shared.BoundedScalar;

namespace Tempo.Algorithms.Tests.Sac;

/// <summary>
/// sac_atari.py's discrete update in double beside a bound E on each float32 result's error, for Tempo's order of
/// operations and for PyTorch's (its forward and its autograd's backward), as <see cref="SacReference"/> does for the
/// continuous one; Tempo and PyTorch are held to E_Tempo + E_torch.
/// </summary>
/// <remarks>
/// <para>The networks are <see cref="BoundedStack"/>s. The policy per row, from logits z within the stack's E
/// (<see cref="BoundedScalar"/> per operation, errors taken as independent, the safe side): both sides form
/// m = max z, d = z − m, S = Σ exp d and log S. Tempo writes log π = z − (m + log S) and π = exp(log π)
/// (Categorical.LogProbabilities; its double sum is no worse than the float32 one bounded here). PyTorch's log_softmax
/// writes log π = d − log S; its Categorical(logits).probs normalizes z − logsumexp(z) and takes the softmax of that
/// (a second max, exp, sum and a division).</para>
/// <para>The actor's gradient: Tempo's closed form π_k(f_k − L_b)/(BA) with f = α log π − min Q; PyTorch's autograd
/// through the mean, the product π·f, log_softmax's backward (g − exp(log π)·Σg) and the probabilities' softmax and
/// logsumexp backward (π(g − Σπg), then g − softmax(z)·Σg whose Σg is 0 up to rounding). The two critics' minimum is
/// taken without gradient on both sides, so only its value's bound matters (min is 1-Lipschitz).</para>
/// </remarks>
internal sealed class DiscreteSacReference
{
    private readonly JsonElement _fixture;
    private readonly int _batch;
    private readonly int _observationSize;
    private readonly int _actions;
    private readonly int _layers;
    private readonly BoundedScalar _alpha;
    private readonly BoundedScalar _targetEntropy;

    public DiscreteSacReference(JsonElement fixture)
    {
        _fixture = fixture;
        _batch = fixture.GetProperty("batch").GetInt32();
        _observationSize = fixture.GetProperty("observation_size").GetInt32();
        _actions = fixture.GetProperty("actions_count").GetInt32();
        _layers = fixture.GetProperty("hidden_sizes").GetArrayLength() + 1;

        // α = exp(log α): PyTorch's float32 exp and Tempo's double exp cast to float are both within 2u.
        _alpha = Exp(Exact(FixtureTensor.Read(State, "log_alpha").Floats[0]));

        // H̄ = scale·log n: Tempo's double product cast to float (u); PyTorch's −scale·log(1/n) in float32 (1/n's rounding
        // moves its log by u absolute, ≤ 1.45u relative for n ≥ 2; the log's 2u; scale's cast and the product's u each).
        var scale = fixture.GetProperty("target_entropy_scale").GetDouble();
        _targetEntropy = Constant(scale * Math.Log(_actions), 6);
    }

    private JsonElement State => _fixture.GetProperty("state");

    /// <summary>The critics' losses (exact, both sides' bounds summed) and their gradients (exact, one bound E for either side).</summary>
    public ((double Value, double Bound) Qf1Loss, (double Value, double Bound) Qf2Loss, Dictionary<string, (double[] Gradient, double[] Error)> Gradients) Critic()
    {
        var next = Floats("next_observations");
        var logits = Network("actor", next);
        var minimum = MinimumQ("qf1_target", "qf2_target", next);
        var rewards = FixtureTensor.Read(_fixture, "rewards").Data;
        var discounts = FixtureTensor.Read(_fixture, "discounts").Data;
        var targets = new BoundedScalar[_batch];
        for (var b = 0; b < _batch; b++)
        {
            var row = Row(logits, b);
            BoundedScalar Value(Policy policy) =>
                Sum(Enumerable.Range(0, _actions).Select(a => policy.Probabilities[a] * (minimum[(b * _actions) + a] - (_alpha * policy.LogProbabilities[a]))).ToArray());

            // y = r + γ(1 − d)·V: the discount is the same float on both sides (the fixture's), then a product and a sum.
            var value = Value(TempoPolicy(row));
            value = value.Widened(Value(TorchPolicy(row)).Error);
            targets[b] = Exact(rewards[b]) + (Exact(discounts[b]) * value);
        }

        var observations = Floats("observations");
        var taken = FixtureTensor.Read(_fixture, "actions").Data;
        var gradients = new Dictionary<string, (double[] Gradient, double[] Error)>();
        (double, double) Loss(string critic)
        {
            var stack = Network(critic, observations);
            var squares = new BoundedScalar[_batch];
            var upstream = new double[_batch * _actions];
            var upstreamError = new double[upstream.Length];
            for (var b = 0; b < _batch; b++)
            {
                var i = (b * _actions) + (int)taken[b];
                var delta = new BoundedScalar(stack.Output[i], stack.OutputError[i]) - targets[b];
                squares[b] = delta * delta;

                // MSE's gradient at the taken action: Tempo's 2·δ/B; PyTorch's (2/B)·δ, 2/B rounded first.
                var gradient = (Exact(2) * delta / Exact(_batch)).Widened((Constant(2.0 / _batch, 1) * delta).Error);
                (upstream[i], upstreamError[i]) = (gradient.Value, gradient.Error);
            }

            stack.Backward(upstream, upstreamError);
            AddGradients(gradients, critic, stack);

            // The mean of the squares: a sum of B terms and a division, then Tempo's cast of its double sum to float.
            var loss = (Sum(squares) / Exact(_batch)).Round();
            return (loss.Value, 2 * loss.Error);
        }

        return (Loss("qf1"), Loss("qf2"), gradients);
    }

    /// <summary>The actor's loss (exact, both sides' bounds summed) and its gradients (exact, one bound E for either side).</summary>
    public ((double Value, double Bound) Loss, Dictionary<string, (double[] Gradient, double[] Error)> Gradients) ActorStep()
    {
        var observations = Floats("observations");
        var logits = Network("actor", observations);
        var minimum = MinimumQ("qf1", "qf2", observations);
        var count = _batch * _actions;
        var upstream = new double[count];
        var upstreamError = new double[count];
        var rows = (Tempo: new BoundedScalar[_batch], Torch: new BoundedScalar[count]);

        // Tempo's 1f/(B·A) and PyTorch's mean backward 1/N: one rounding each.
        var inverse = Constant(1.0 / count, 1);
        for (var b = 0; b < _batch; b++)
        {
            var row = Row(logits, b);
            var tempo = TempoPolicy(row);
            var torch = TorchPolicy(row);
            var q = minimum.AsSpan(b * _actions, _actions).ToArray();

            // Tempo: f_a = α log π_a − m_a, L_b = Σ π_a f_a, ∂/∂z_k = π_k (f_k − L_b) · 1/(BA).
            var f = Enumerable.Range(0, _actions).Select(a => (_alpha * tempo.LogProbabilities[a]) - q[a]).ToArray();
            var terms = Enumerable.Range(0, _actions).Select(a => tempo.Probabilities[a] * f[a]).ToArray();
            rows.Tempo[b] = Sum(terms);
            var tempoGradient = Enumerable.Range(0, _actions).Select(a => tempo.Probabilities[a] * (f[a] - rows.Tempo[b]) * inverse).ToArray();

            // PyTorch: mean(π ⊙ h), h = α log π − m; ∂/∂π = g·h, ∂/∂log π = g·π·α with g = 1/N.
            var h = Enumerable.Range(0, _actions).Select(a => (_alpha * torch.LogProbabilities[a]) - q[a]).ToArray();
            for (var a = 0; a < _actions; a++)
            {
                rows.Torch[(b * _actions) + a] = torch.Probabilities[a] * h[a];
            }

            var gProbability = h.Select(x => inverse * x).ToArray();
            var gLogProbability = Enumerable.Range(0, _actions).Select(a => inverse * torch.Probabilities[a] * _alpha).ToArray();

            // Softmax backward: π ⊙ (g − Σ π g); logsumexp's backward: g − softmax(z)·Σ g, where Σ g is 0 exactly.
            var weighted = Sum(Enumerable.Range(0, _actions).Select(a => gProbability[a] * torch.Probabilities[a]).ToArray());
            var gNormalized = Enumerable.Range(0, _actions).Select(a => torch.Probabilities[a] * (gProbability[a] - weighted)).ToArray();
            var gNormalizedSum = RoundingOnly(Sum(gNormalized));
            var softmax = tempo.Probabilities; // exp(z − logsumexp z), as Tempo forms π
            var fromProbabilities = Enumerable.Range(0, _actions).Select(a => gNormalized[a] - (softmax[a] * gNormalizedSum)).ToArray();

            // log_softmax backward: g − exp(log π)·Σ g.
            var logSum = Sum(gLogProbability);
            var fromLogProbabilities = Enumerable.Range(0, _actions).Select(a => gLogProbability[a] - (Exp(torch.LogProbabilities[a]) * logSum)).ToArray();
            for (var a = 0; a < _actions; a++)
            {
                var i = (b * _actions) + a;
                var torchGradient = fromProbabilities[a] + fromLogProbabilities[a];
                var combined = tempoGradient[a].Widened(torchGradient.Error);
                (upstream[i], upstreamError[i]) = (combined.Value, Math.Max(combined.Error, Math.Abs(torchGradient.Value - combined.Value) + torchGradient.Error));
            }
        }

        logits.Backward(upstream, upstreamError);
        var gradients = new Dictionary<string, (double[] Gradient, double[] Error)>();
        AddGradients(gradients, "actor", logits);

        // Tempo sums the rows in double and multiplies by 1/(BA), then casts; PyTorch's mean is a float sum and a division.
        var tempoLoss = (Sum(rows.Tempo) * inverse).Round();
        var torchLoss = Sum(rows.Torch) / Exact(count);
        return ((tempoLoss.Value, tempoLoss.Error + torchLoss.Error + Math.Abs(tempoLoss.Value - torchLoss.Value)), gradients);
    }

    /// <summary>The α loss and log α's gradient: exact values and both sides' bounds summed.</summary>
    public ((double Value, double Bound) Loss, (double Value, double Bound) Gradient) AlphaStep()
    {
        var logits = Network("actor", Floats("observations"));
        var tempoTerms = new List<BoundedScalar>();
        var torchTerms = new List<BoundedScalar>();
        var torchGradientTerms = new List<BoundedScalar>();
        var count = _batch * _actions;
        var inverse = Constant(1.0 / count, 1);
        for (var b = 0; b < _batch; b++)
        {
            var row = Row(logits, b);
            var tempo = TempoPolicy(row);
            var torch = TorchPolicy(row);
            for (var a = 0; a < _actions; a++)
            {
                // Tempo: π·(−α)·(log π + H̄), summed in double, / N, cast; its gradient is that loss.
                tempoTerms.Add(tempo.Probabilities[a] * -_alpha * (tempo.LogProbabilities[a] + _targetEntropy));

                // PyTorch: π·(−exp(log α)·(log π + H̄)), mean; autograd: −α·Σ (g·π)·(log π + H̄) with g = 1/N.
                var spread = torch.LogProbabilities[a] + _targetEntropy;
                torchTerms.Add(torch.Probabilities[a] * (-_alpha * spread));
                torchGradientTerms.Add(inverse * torch.Probabilities[a] * spread);
            }
        }

        var tempoLoss = (Sum(tempoTerms) / Exact(count)).Round();
        var torchLoss = Sum(torchTerms) / Exact(count);
        var torchGradient = -(Sum(torchGradientTerms) * _alpha);
        return (
            (tempoLoss.Value, tempoLoss.Error + torchLoss.Error + Math.Abs(tempoLoss.Value - torchLoss.Value)),
            (tempoLoss.Value, tempoLoss.Error + torchGradient.Error + Math.Abs(tempoLoss.Value - torchGradient.Value)));
    }

    /// <summary>A value that is exactly 0 in exact arithmetic: only the computed sum's rounding error remains.</summary>
    private static BoundedScalar RoundingOnly(BoundedScalar sum) => new(0, sum.Error + Math.Abs(sum.Value));

    /// <summary>m = max z, d = z − m, S = Σ exp d and log S: what both sides compute first.</summary>
    private static (BoundedScalar[] Z, BoundedScalar Max, BoundedScalar[] Shifted, BoundedScalar LogSum) Normalizer(BoundedScalar[] z)
    {
        var top = z.MaxBy(x => x.Value);
        var max = new BoundedScalar(top.Value, z.Max(x => x.Error)); // max is exact and 1-Lipschitz in the largest error
        var shifted = z.Select(x => x - max).ToArray();
        return (z, max, shifted, Log(Sum(shifted.Select(Exp).ToArray())));
    }

    /// <summary>Tempo: log π = z − (m + log S), π = exp(log π).</summary>
    private static Policy TempoPolicy(BoundedScalar[] z)
    {
        var (_, max, _, logSum) = Normalizer(z);
        var logSumExp = max + logSum;
        var logProbabilities = z.Select(x => x - logSumExp).ToArray();
        return new Policy(logProbabilities, logProbabilities.Select(Exp).ToArray());
    }

    /// <summary>PyTorch: log_softmax's d − log S; Categorical's probabilities, the softmax of z − logsumexp(z).</summary>
    private static Policy TorchPolicy(BoundedScalar[] z)
    {
        var (_, max, shifted, logSum) = Normalizer(z);
        var logProbabilities = shifted.Select(d => d - logSum).ToArray();
        var logSumExp = max + logSum;
        var normalized = z.Select(x => x - logSumExp).ToArray();
        var (_, _, shiftedAgain, _) = Normalizer(normalized);
        var exponentials = shiftedAgain.Select(Exp).ToArray();
        var total = Sum(exponentials);
        return new Policy(logProbabilities, exponentials.Select(e => e / total).ToArray());
    }

    private BoundedScalar[] Row(BoundedStack logits, int b) =>
        Enumerable.Range(0, _actions).Select(a => new BoundedScalar(logits.Output[(b * _actions) + a], logits.OutputError[(b * _actions) + a])).ToArray();

    /// <summary>min(Q1, Q2) per element, taken without gradient: exact and 1-Lipschitz.</summary>
    private BoundedScalar[] MinimumQ(string first, string second, float[] observations)
    {
        var q1 = Network(first, observations);
        var q2 = Network(second, observations);
        return q1.Output.Select((v, i) => Min(new(v, q1.OutputError[i]), new(q2.Output[i], q2.OutputError[i]))).ToArray();
    }

    private float[] Floats(string name) => FixtureTensor.Read(_fixture, name).Floats;

    /// <summary>An MLP of the fixture (Linear, ReLU, …, Linear: parameters 0, 2, 4, …) run forward on the observations.</summary>
    private BoundedStack Network(string name, float[] observations)
    {
        var layers = new List<BoundedStack.Layer>();
        for (var i = 0; i < _layers; i++)
        {
            var weight = FixtureTensor.Read(State, $"{name}.{2 * i}.weight");
            layers.Add(new BoundedStack.Affine(weight.Floats, FixtureTensor.Read(State, $"{name}.{2 * i}.bias").Floats, weight.Shape[0], 1, 1));
            if (i < _layers - 1)
            {
                layers.Add(new BoundedStack.Relu());
            }
        }

        var stack = new BoundedStack(_batch, _observationSize, 1, 1, layers);
        stack.Forward(observations);
        return stack;
    }

    private static void AddGradients(Dictionary<string, (double[] Gradient, double[] Error)> gradients, string network, BoundedStack stack)
    {
        for (var i = 0; i < stack.Gradients.Count; i++)
        {
            var (weight, weightError, bias, biasError) = stack.Gradients[i];
            gradients[$"{network}.{2 * i}.weight"] = (weight, weightError);
            gradients[$"{network}.{2 * i}.bias"] = (bias, biasError);
        }
    }

    /// <summary>One side's log-probabilities and probabilities of a row.</summary>
    private sealed record Policy(BoundedScalar[] LogProbabilities, BoundedScalar[] Probabilities);
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Dqn;

/// <summary>dqn.py's <c>QNetwork</c> (a ReLU MLP from observations to one Q value per action), optionally with a dueling head.</summary>
/// <remarks>
/// <para>Plain: <c>network = Sequential(Linear(obs, 120), ReLU, Linear(120, 84), ReLU, Linear(84, n))</c>, parameters
/// <c>network.0.weight</c> … <c>network.4.bias</c> as CleanRL's state dict, PyTorch's default initialization.</para>
/// <para>Dueling (Wang et al. 2016): the hidden layers feed a value head <c>value</c> (one output) and an advantage
/// head <c>advantage</c> (n outputs), combined as Q = V + A − mean(A).</para>
/// </remarks>
public sealed class QNetwork : Module, IQNetwork<float>
{
    private readonly Sequential _network;
    private readonly Linear? _value;
    private readonly Linear? _advantage;
    private readonly Tensor _input;
    private readonly Tensor _output;
    private readonly Tensor _valueGradient;
    private readonly Tensor _advantageGradient;
    private readonly Tensor _hiddenGradient;

    /// <summary>Builds the network for <paramref name="observationSize"/> inputs and <paramref name="actions"/> actions.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actions">Discrete actions (Q values per observation).</param>
    /// <param name="hiddenSizes">Hidden widths (dqn.py: 120, 84).</param>
    /// <param name="dueling">Split the last layer into value and advantage heads.</param>
    /// <param name="random">The source of the initial weights.</param>
    public QNetwork(int observationSize, int actions, IReadOnlyList<int> hiddenSizes, bool dueling, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(random);
        if (hiddenSizes.Count == 0)
        {
            throw new ArgumentException("A Q-network needs at least one hidden layer (dqn.py: 120, 84).", nameof(hiddenSizes));
        }

        ObservationSize = observationSize;
        Actions = actions;
        HiddenSizes = [.. hiddenSizes];
        Dueling = dueling;
        int[] sizes = dueling ? [observationSize, .. hiddenSizes] : [observationSize, .. hiddenSizes, actions];
        var layers = new Module[sizes.Length - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            var hidden = dueling || i < layers.Length - 1;
            layers[i] = new Linear(sizes[i], sizes[i + 1], random, hidden ? Activation.Relu : Activation.None);
        }

        _network = RegisterChild("network", new Sequential(layers));
        if (dueling)
        {
            _value = RegisterChild("value", new Linear(hiddenSizes[^1], 1, random));
            _advantage = RegisterChild("advantage", new Linear(hiddenSizes[^1], actions, random));
        }

        _input = new Tensor(0, observationSize);
        _output = new Tensor(0, actions);
        _valueGradient = new Tensor(0, 1);
        _advantageGradient = new Tensor(0, actions);
        _hiddenGradient = new Tensor(0, hiddenSizes[^1]);
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Discrete actions.</summary>
    public int Actions { get; }

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Whether the last layer is a dueling value/advantage pair.</summary>
    public bool Dueling { get; }

    /// <inheritdoc/>
    public int FramesPerObservation => 1;

    /// <inheritdoc/>
    public Range? FrameStack => null;

    /// <inheritdoc/>
    Module IQNetwork<float>.Module => this;

    /// <summary>A network of the same architecture (its initial weights drawn from <paramref name="random"/>; copy weights into it to make a target network).</summary>
    public QNetwork CreateSibling(Random random) => new(ObservationSize, Actions, HiddenSizes, Dueling, random) { Parallelism = Parallelism };

    /// <inheritdoc/>
    IQNetwork<float> IQNetwork<float>.CreateSibling(Random random) => CreateSibling(random);

    /// <inheritdoc/>
    public Tensor Forward(ReadOnlySpan<float> observations, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        _input.Reshape(batch, ObservationSize);
        observations[.._input.Length].CopyTo(_input.Span);
        return Forward(_input);
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        var hidden = _network.Forward(input);
        if (!Dueling)
        {
            return hidden;
        }

        var value = _value!.Forward(hidden).Span;
        var advantage = _advantage!.Forward(hidden).Span;
        var batch = hidden.Dim(0);
        _output.Reshape(batch, Actions);
        var q = _output.Span;
        for (var b = 0; b < batch; b++)
        {
            var row = advantage.Slice(b * Actions, Actions);
            var mean = 0f;
            foreach (var a in row)
            {
                mean += a;
            }

            mean /= Actions;
            for (var j = 0; j < Actions; j++)
            {
                q[(b * Actions) + j] = value[b] + row[j] - mean;
            }
        }

        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var hiddenGradient = outputGradient;
        if (Dueling)
        {
            // ∂Q_j/∂V = 1 and ∂Q_j/∂A_k = δ_jk − 1/n: the value gets the row's sum, each advantage its deviation from the row's mean.
            var batch = outputGradient.Dim(0);
            _valueGradient.Reshape(batch, 1);
            _advantageGradient.Reshape(batch, Actions);
            var g = outputGradient.Span;
            for (var b = 0; b < batch; b++)
            {
                var row = g.Slice(b * Actions, Actions);
                var sum = 0f;
                foreach (var x in row)
                {
                    sum += x;
                }

                _valueGradient.Span[b] = sum;
                var mean = sum / Actions;
                for (var j = 0; j < Actions; j++)
                {
                    _advantageGradient.Span[(b * Actions) + j] = row[j] - mean;
                }
            }

            var fromValue = _value!.Backward(_valueGradient);
            _hiddenGradient.Reshape(batch, fromValue.Dim(1));
            fromValue.Span.CopyTo(_hiddenGradient.Span);
            var fromAdvantage = _advantage!.Backward(_advantageGradient).Span;
            var h = _hiddenGradient.Span;
            for (var i = 0; i < h.Length; i++)
            {
                h[i] += fromAdvantage[i];
            }

            hiddenGradient = _hiddenGradient;
        }

        if (computeInputGradient)
        {
            return _network.Backward(hiddenGradient);
        }

        _network.AccumulateParameterGradients(hiddenGradient);
        return null;
    }
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>sac_continuous_action.py's <c>SoftQNetwork</c>: a ReLU MLP from an observation and an action, concatenated, to one Q value.</summary>
/// <remarks>Parameters <c>fc1</c> … <c>fc{n+1}</c> (the script: fc1, fc2, fc3), PyTorch's default initialization. Inputs are
/// rows of <c>[observation | action]</c>.</remarks>
public sealed class SoftQNetwork : Module
{
    private readonly Linear[] _layers;

    /// <summary>Builds the critic.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actionSize">Action dimensions |A|.</param>
    /// <param name="hiddenSizes">Hidden widths (the script: 256, 256).</param>
    /// <param name="random">The source of the initial weights.</param>
    public SoftQNetwork(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(random);
        ObservationSize = observationSize;
        ActionSize = actionSize;
        HiddenSizes = [.. hiddenSizes];
        int[] sizes = [observationSize + actionSize, .. hiddenSizes, 1];
        _layers = new Linear[sizes.Length - 1];
        for (var i = 0; i < _layers.Length; i++)
        {
            _layers[i] = RegisterChild($"fc{i + 1}", new Linear(sizes[i], sizes[i + 1], random, i < _layers.Length - 1 ? Activation.Relu : Activation.None));
        }
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Action dimensions |A|.</summary>
    public int ActionSize { get; }

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>A critic of the same architecture (copy weights into it to make a target network).</summary>
    public SoftQNetwork CreateSibling(Random random) => new(ObservationSize, ActionSize, HiddenSizes, random);

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var gradient = outputGradient;
        for (var i = _layers.Length - 1; i > 0; i--)
        {
            gradient = _layers[i].Backward(gradient);
        }

        if (computeInputGradient)
        {
            return _layers[0].Backward(gradient);
        }

        _layers[0].AccumulateParameterGradients(gradient);
        return null;
    }
}

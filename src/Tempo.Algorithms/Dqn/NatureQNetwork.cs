using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Dqn;

/// <summary>dqn_atari.py's <c>QNetwork</c>: the Nature CNN over byte frames (divided by 255 on the way in), then a linear layer to one Q value per action.</summary>
/// <remarks>Parameters <c>torso.0</c>, <c>torso.2</c>, <c>torso.4</c> (convolutions), <c>torso.7</c> (the 512-wide layer) and
/// <c>head</c>: dqn_atari.py's <c>network.0</c>, <c>.2</c>, <c>.4</c>, <c>.7</c> and <c>.9</c>, PyTorch's default initialization.</remarks>
public sealed class NatureQNetwork : Module, IQNetwork<byte>
{
    private readonly NatureCnn _torso;
    private readonly Linear _head;

    /// <summary>Builds the network for frame stacks of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> bytes.</summary>
    /// <param name="channels">Frames per stack (dqn_atari.py: 4).</param>
    /// <param name="height">Frame height (at least <see cref="NatureCnn.MinimumFrameSize"/>).</param>
    /// <param name="width">Frame width (at least <see cref="NatureCnn.MinimumFrameSize"/>).</param>
    /// <param name="actions">Discrete actions.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="hiddenSize">Width of the fully connected layer (dqn_atari.py: 512).</param>
    public NatureQNetwork(int channels, int height, int width, int actions, Random random, int hiddenSize = 512)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        _torso = RegisterChild("torso", new NatureCnn(channels, height, width, random, hiddenSize));
        _head = RegisterChild("head", new Linear(hiddenSize, actions, random));
        Actions = actions;
    }

    /// <inheritdoc/>
    public int ObservationSize => _torso.InChannels * _torso.Height * _torso.Width;

    /// <inheritdoc/>
    public int Actions { get; }

    /// <inheritdoc/>
    public int FramesPerObservation => _torso.InChannels;

    /// <inheritdoc/>
    public Range? FrameStack => null;

    /// <summary>Width of the fully connected layer.</summary>
    public int HiddenSize => _torso.OutputSize;

    /// <inheritdoc/>
    Module IQNetwork<byte>.Module => this;

    /// <inheritdoc/>
    public Tensor Forward(ReadOnlySpan<byte> observations, int batch)
    {
        InvalidateForward();
        return CompleteForward(_head.Forward(_torso.Forward(observations, batch)));
    }

    /// <inheritdoc/>
    public IQNetwork<byte> CreateSibling(Random random) => new NatureQNetwork(_torso.InChannels, _torso.Height, _torso.Width, Actions, random, HiddenSize) { Parallelism = Parallelism };

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input) => _head.Forward(_torso.Forward(input));

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var gradient = _head.Backward(outputGradient);
        if (computeInputGradient)
        {
            return _torso.Backward(gradient);
        }

        _torso.AccumulateParameterGradients(gradient);
        return null;
    }
}

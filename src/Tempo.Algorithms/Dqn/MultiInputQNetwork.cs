using Tempo.Algorithms.Models;
using Tempo.Core.Spaces;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Dqn;

/// <summary>A Q-network over dict observations (SB3's DQN <c>MultiInputPolicy</c>): each part encoded on its own (<see cref="DictExtractor"/>), the features concatenated, then a linear layer to one Q value per action.</summary>
/// <remarks>
/// <para>For games observed as frames plus memory values (SuperTux: a 4-frame stack and Tux's x, y, Δx, …): the image
/// part goes through the Nature CNN as in <see cref="NatureQNetwork"/>, the vector part through a small tanh MLP, so
/// the Q values can depend on exact positions the pixels show only coarsely.</para>
/// <para>Parameters <c>extractors.{part}.*</c> and <c>head</c>; the extractor is initialized as
/// <see cref="MultiInputActorCritic"/>'s, the head with PyTorch's default. Replay keeps each frame of the largest
/// stacked image part (<c>[C &gt; 1, H, W]</c> bytes; <c>[H, W, 1]</c> is one frame) once (<see cref="FrameStack"/>), the other parts whole.</para>
/// </remarks>
public sealed class MultiInputQNetwork : Module, IQNetwork<byte>
{
    private readonly DictExtractor _extractor;
    private readonly Linear _head;

    /// <summary>Builds the network for <paramref name="space"/> and <paramref name="actions"/> discrete actions.</summary>
    /// <param name="space">The dict observation space.</param>
    /// <param name="actions">Discrete actions.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="hiddenSize">Width of each image part's fully connected layer (dqn_atari.py: 512).</param>
    /// <exception cref="ArgumentException">An image part is too small or channels-last, or fewer than 2 actions.</exception>
    public MultiInputQNetwork(DictSpace space, int actions, Random random, int hiddenSize = MultiInputActorCritic.DefaultHiddenSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        _extractor = RegisterChild("extractors", new DictExtractor(space, hiddenSize, random));
        _head = RegisterChild("head", new Linear(_extractor.FeatureSize, actions, random));
        Actions = actions;
        var stacked = space.Parts
            .Where(p => p.Space is BoxSpace<byte> { Shape: [> 1, _, not 1] })
            .MaxBy(p => p.ByteLength);
        if (stacked is not null)
        {
            FramesPerObservation = stacked.Space.Shape[0];
            FrameStack = stacked.ByteOffset..(stacked.ByteOffset + stacked.ByteLength);
        }
    }

    /// <summary>The dict of parts it observes.</summary>
    public DictSpace Space => _extractor.Space;

    /// <inheritdoc/>
    public int ObservationSize => _extractor.ObservationSize;

    /// <inheritdoc/>
    public int Actions { get; }

    /// <inheritdoc/>
    public int FramesPerObservation { get; } = 1;

    /// <inheritdoc/>
    public Range? FrameStack { get; }

    /// <summary>Width of each image part's fully connected layer.</summary>
    public int HiddenSize => _extractor.HiddenSize;

    /// <inheritdoc/>
    Module IQNetwork<byte>.Module => this;

    /// <inheritdoc/>
    public Tensor Forward(ReadOnlySpan<byte> observations, int batch)
    {
        InvalidateForward();
        return CompleteForward(_head.Forward(_extractor.Forward(observations, batch)));
    }

    /// <inheritdoc/>
    public IQNetwork<byte> CreateSibling(Random random) => new MultiInputQNetwork(Space, Actions, random, HiddenSize) { Parallelism = Parallelism };

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a dict observation is bytes, not a float tensor.</exception>
    protected override Tensor ForwardCore(Tensor input) =>
        throw new NotSupportedException($"A multi-input Q-network reads observations of {Space} as bytes: call Forward(ReadOnlySpan<byte>, batch).");

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        if (computeInputGradient)
        {
            throw new InvalidOperationException("A multi-input Q-network's input is observation bytes, which have no gradient: use AccumulateParameterGradients.");
        }

        _extractor.AccumulateParameterGradients(_head.Backward(outputGradient));
        return null;
    }
}

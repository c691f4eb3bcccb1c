using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>The DQN "Nature" torso (Mnih et al. 2015) over pixel frames: conv 32 8×8/4, conv 64 4×4/2, conv 64 3×3/1, fc, each followed by ReLU.</summary>
/// <remarks>
/// <para>Inputs are pixel values in [0, 255] (bytes, or floats of the same scale), N×C×H×W; the network divides
/// them by 255 into its first layer's input, as CleanRL's <c>self.network(x / 255.0)</c>.</para>
/// <para>Parameters are named as CleanRL's <c>nn.Sequential(conv, ReLU, conv, ReLU, conv, ReLU, Flatten, Linear, ReLU)</c>:
/// <c>0.*</c>, <c>2.*</c>, <c>4.*</c> for the convolutions and <c>7.*</c> for the fully connected layer.</para>
/// </remarks>
public sealed class NatureCnn : Module
{
    /// <summary>The smallest frame side the three convolutions fit (8×8/4 → 8, 4×4/2 → 3, 3×3/1 → 1).</summary>
    public const int MinimumFrameSize = 36;

    private const float PixelScale = 1f / 255f;

    private readonly Module[] _layers;
    private readonly Tensor _scaled;
    private readonly Tensor _inputGradient;

    /// <summary>Creates the torso with PyTorch's default initialization.</summary>
    /// <param name="inChannels">Channels per frame stack (e.g. 4 stacked grey frames).</param>
    /// <param name="height">Frame height (at least <see cref="MinimumFrameSize"/>; 84 in the Atari setup).</param>
    /// <param name="width">Frame width (at least <see cref="MinimumFrameSize"/>; 84 in the Atari setup).</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="hiddenSize">Width of the fully connected layer (512 in the paper).</param>
    public NatureCnn(int inChannels, int height, int width, Random random, int hiddenSize = 512)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentNullException.ThrowIfNull(random);
        if (height < MinimumFrameSize || width < MinimumFrameSize)
        {
            throw new ArgumentException($"The Nature CNN needs frames of at least {MinimumFrameSize}×{MinimumFrameSize} pixels; got {height}×{width}.", nameof(height));
        }

        InChannels = inChannels;
        Height = height;
        Width = width;
        Conv1 = new Conv2d(inChannels, 32, 8, random, stride: 4, activation: Activation.Relu);
        Conv2 = new Conv2d(32, 64, 4, random, stride: 2, activation: Activation.Relu);
        Conv3 = new Conv2d(64, 64, 3, random, stride: 1, activation: Activation.Relu);
        var featureHeight = Conv3.OutputSize(Conv2.OutputSize(Conv1.OutputSize(height)));
        var featureWidth = Conv3.OutputSize(Conv2.OutputSize(Conv1.OutputSize(width)));
        FeatureSize = 64 * featureHeight * featureWidth;
        Hidden = new Linear(FeatureSize, hiddenSize, random, Activation.Relu);
        var flatten = new Flatten();
        _layers = [Conv1, Conv2, Conv3, flatten, Hidden];

        // CleanRL's positions: conv 0, ReLU 1, conv 2, ReLU 3, conv 4, ReLU 5, Flatten 6, Linear 7, ReLU 8.
        RegisterChild("0", Conv1);
        RegisterChild("2", Conv2);
        RegisterChild("4", Conv3);
        RegisterChild("6", flatten);
        RegisterChild("7", Hidden);
        _scaled = new Tensor(0, inChannels, height, width);
        _inputGradient = new Tensor(0, inChannels, height, width);
    }

    /// <summary>Channels per input frame stack.</summary>
    public int InChannels { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Features after the last convolution, flattened (3136 for 84×84 frames).</summary>
    public int FeatureSize { get; }

    /// <summary>Width of the output (the fully connected layer).</summary>
    public int OutputSize => Hidden.OutputSize;

    /// <summary>The first convolution (32 channels, 8×8, stride 4).</summary>
    public Conv2d Conv1 { get; }

    /// <summary>The second convolution (64 channels, 4×4, stride 2).</summary>
    public Conv2d Conv2 { get; }

    /// <summary>The third convolution (64 channels, 3×3, stride 1).</summary>
    public Conv2d Conv3 { get; }

    /// <summary>The fully connected layer.</summary>
    public Linear Hidden { get; }

    /// <summary>Creates the torso initialized as CleanRL's <c>layer_init</c>: orthogonal weights with <paramref name="gain"/> (√2 there), zero biases.</summary>
    public static NatureCnn CreateOrthogonal(int inChannels, int height, int width, double gain, Random random, int hiddenSize = 512)
    {
        var network = new NatureCnn(inChannels, height, width, random, hiddenSize);
        LayerInit.Orthogonal(network.Conv1, gain, random);
        LayerInit.Orthogonal(network.Conv2, gain, random);
        LayerInit.Orthogonal(network.Conv3, gain, random);
        LayerInit.Orthogonal(network.Hidden, gain, random);
        return network;
    }

    /// <summary>Runs the forward pass on byte frames, N×C×H×W row-major, as <see cref="Module.Forward"/> does on float pixels.</summary>
    /// <param name="frames">batchSize·C·H·W pixel values.</param>
    /// <param name="batchSize">Frame stacks in the batch.</param>
    /// <returns>The module-owned [batchSize, <see cref="OutputSize"/>] features, valid until the next forward pass.</returns>
    public Tensor Forward(ReadOnlySpan<byte> frames, int batchSize)
    {
        InvalidateForward();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var frameLength = InChannels * Height * Width;
        if (frames.Length != (long)batchSize * frameLength)
        {
            ModuleErrors.WrongInputLength(this, $"{batchSize}×{InChannels}×{Height}×{Width} = {(long)batchSize * frameLength} pixels", frames.Length, nameof(frames));
        }

        _scaled.Reshape(batchSize, InChannels, Height, Width);
        Elementwise.Scale(frames, PixelScale, _scaled.Span);
        return CompleteForward(RunLayers(_scaled));
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(0) == 0 || input.Dim(1) != InChannels || input.Dim(2) != Height || input.Dim(3) != Width)
        {
            ModuleErrors.WrongInputShape(this, $"[batch ≥ 1, {InChannels}, {Height}, {Width}]", input);
        }

        _scaled.Reshape(input.Dim(0), InChannels, Height, Width);
        Elementwise.Scale(input.Span, PixelScale, _scaled.Span);
        return RunLayers(_scaled);
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var gradient = outputGradient;
        for (var i = _layers.Length - 1; i > 0; i--)
        {
            gradient = _layers[i].Backward(gradient);
        }

        if (!computeInputGradient)
        {
            // A learner never needs ∂loss/∂pixels; skipping it saves conv1's whole input-gradient pass.
            _layers[0].AccumulateParameterGradients(gradient);
            return null;
        }

        var scaledGradient = _layers[0].Backward(gradient);
        _inputGradient.Reshape(scaledGradient.Dim(0), InChannels, Height, Width);
        Elementwise.Scale(scaledGradient.Span, PixelScale, _inputGradient.Span);
        return _inputGradient;
    }

    private Tensor RunLayers(Tensor scaled)
    {
        var x = scaled;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }
}

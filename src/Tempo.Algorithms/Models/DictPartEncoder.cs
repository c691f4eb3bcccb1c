using System.Runtime.InteropServices;
using Tempo.Core.Spaces;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Models;

/// <summary>Encodes one part of a batch of dict observations into features: gathers the part out of each observation, then runs its network.</summary>
/// <remarks>Buffers grow with the largest batch seen and are reused, so encoding allocates nothing in steady state.</remarks>
internal abstract class DictPartEncoder
{
    protected DictPartEncoder(DictPart part, Module network, int outputSize)
    {
        Part = part;
        Network = network;
        OutputSize = outputSize;
    }

    public DictPart Part { get; }

    public Module Network { get; }

    public int OutputSize { get; }

    /// <summary>Runs the network on part <see cref="Part"/> of <paramref name="batch"/> observations of <paramref name="stride"/> bytes each.</summary>
    public abstract Tensor Forward(ReadOnlySpan<byte> observations, int batch, int stride);

    /// <summary>Adds the parameter gradients for ∂loss/∂features of the last forward pass (the input is data: no input gradient).</summary>
    public void AccumulateParameterGradients(Tensor featureGradient) => Network.AccumulateParameterGradients(featureGradient);
}

/// <summary>A byte image part, <c>[channels, height, width]</c>: pixels / 255 into a Nature CNN (with its ReLU fully connected layer).</summary>
internal sealed class ImagePartEncoder : DictPartEncoder
{
    private readonly NatureCnn _cnn;
    private byte[] _pixels = [];

    public ImagePartEncoder(DictPart part, NatureCnn cnn)
        : base(part, cnn, cnn.OutputSize) => _cnn = cnn;

    public override Tensor Forward(ReadOnlySpan<byte> observations, int batch, int stride)
    {
        var length = Part.ByteLength;
        if (_pixels.Length < batch * length)
        {
            _pixels = new byte[batch * length];
        }

        for (var b = 0; b < batch; b++)
        {
            Part.ReadBytes(observations.Slice(b * stride, stride)).CopyTo(_pixels.AsSpan(b * length, length));
        }

        return _cnn.Forward(_pixels.AsSpan(0, batch * length), batch);
    }
}

/// <summary>A vector part (any element type, any shape): flattened, converted to float as it is, into a small tanh MLP.</summary>
internal sealed class VectorPartEncoder : DictPartEncoder
{
    private readonly Tensor _input;
    private readonly int _size;

    public VectorPartEncoder(DictPart part, Sequential mlp, int outputSize)
        : base(part, mlp, outputSize)
    {
        _size = part.Space.FlatSize;
        _input = new Tensor(0, _size);
    }

    public override Tensor Forward(ReadOnlySpan<byte> observations, int batch, int stride)
    {
        _input.Reshape(batch, _size);
        var input = _input.Span;
        for (var b = 0; b < batch; b++)
        {
            var bytes = Part.ReadBytes(observations.Slice(b * stride, stride));
            var row = input.Slice(b * _size, _size);
            var type = Part.Space.ElementType;
            if (type == typeof(float))
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(row);
            }
            else if (type == typeof(byte))
            {
                Widen(bytes, row);
            }
            else if (type == typeof(int))
            {
                Widen(MemoryMarshal.Cast<byte, int>(bytes), row);
            }
            else
            {
                Widen(MemoryMarshal.Cast<byte, double>(bytes), row);
            }
        }

        return Network.Forward(_input);
    }

    /// <summary>Builds CleanRL's MLP torso (<c>layer_init</c>'ed Linear–Tanh–Linear–Tanh, gain √2) for a vector part.</summary>
    public static VectorPartEncoder Create(DictPart part, int hiddenSize, Random random)
    {
        Linear[] layers = [new(part.Space.FlatSize, hiddenSize, random, Activation.Tanh), new(hiddenSize, hiddenSize, random, Activation.Tanh)];
        foreach (var layer in layers)
        {
            LayerInit.Orthogonal(layer, LayerInit.HiddenGain, random);
        }

        return new VectorPartEncoder(part, new Sequential(layers), hiddenSize);
    }

    private static void Widen(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void Widen(ReadOnlySpan<int> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void Widen(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}

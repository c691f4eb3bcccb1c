using System.Globalization;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>Runs layers one after another, as <c>torch.nn.Sequential</c>.</summary>
/// <remarks>
/// Layers given without names are named by their position in the equivalent PyTorch <c>nn.Sequential</c>,
/// where a layer with a fused activation counts as two modules: <c>Linear(4, 64, Tanh), Linear(64, 1)</c>
/// is named <c>0</c> and <c>2</c>, just as <c>nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 1))</c>.
/// Networks with a fixed shape of their own (a critic over <c>[observation | action]</c>, say) derive from it to keep
/// the layer chain here.
/// </remarks>
public class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>Creates the sequence, naming each layer by its PyTorch position.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        RequireLayers(layers.Length, nameof(layers));
        _layers = new Module[layers.Length];
        var position = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(layers[i], nameof(layers));
            _layers[i] = RegisterChild(position.ToString(CultureInfo.InvariantCulture), layers[i]);
            position += layers[i].TorchModuleCount;
        }
    }

    /// <summary>Creates the sequence with explicit names (as an <c>OrderedDict</c> passed to <c>nn.Sequential</c>).</summary>
    public Sequential(params NamedModule[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        RequireLayers(layers.Length, nameof(layers));
        _layers = new Module[layers.Length];
        for (var i = 0; i < layers.Length; i++)
        {
            _layers[i] = RegisterChild(layers[i].Name, layers[i].Module);
        }
    }

    /// <summary>The layers in execution order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

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

    private static void RequireLayers(int count, string parameterName)
    {
        if (count == 0)
        {
            throw new ArgumentException("A Sequential needs at least one layer.", parameterName);
        }
    }
}

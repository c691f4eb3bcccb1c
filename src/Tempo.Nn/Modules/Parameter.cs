using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>A trainable tensor and the gradient that backward passes accumulate into it.</summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-initialized parameter of the given shape, with a zero gradient.</summary>
    public Parameter(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Value = new Tensor(shape);
        Gradient = new Tensor(shape);
    }

    /// <summary>The parameter's name within its module (e.g. <c>weight</c>); modules prefix it with their path.</summary>
    public string Name { get; }

    /// <summary>The current values.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public Tensor Gradient { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}{Value}";
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Modules;

/// <summary>A differentiable layer or network with a single tensor input and output.</summary>
/// <remarks>
/// <para><see cref="Forward"/> caches what the backward pass needs; <see cref="Backward"/> returns the gradient
/// with respect to the last forward input and <em>adds</em> the parameter gradients to
/// <see cref="Parameter.Gradient"/> (call <see cref="ZeroGradients"/> between steps, as PyTorch's <c>zero_grad</c>).</para>
/// <para>Outputs and input gradients live in buffers the module owns. They stay valid until the next call of the
/// same kind, grow only when a larger batch arrives, and must not be modified by the caller. The input passed to
/// <see cref="Forward"/> is kept by reference until the backward pass, so the caller must leave it unchanged.</para>
/// <para>A module holds the state of one pass: use an instance at one place in one network and from one thread at a time.</para>
/// <para>Parameters are named as PyTorch names them (<c>weight</c>, <c>bias</c>, children by their registration
/// name), so <see cref="NamedParameters"/> matches a PyTorch <c>state_dict</c> of the same network.</para>
/// </remarks>
public abstract class Module
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<NamedModule> _children = [];
    private Tensor? _output;
    private KernelParallelism? _parallelism;

    /// <summary>Worker threads this module's kernels may use (null: only the calling thread); setting it on a network sets it on every descendant.</summary>
    /// <remarks>Default one thread: on a small machine the actors' deadlines come first, so the caller opts in.</remarks>
    public KernelParallelism? Parallelism
    {
        get => _parallelism;
        set
        {
            _parallelism = value;
            foreach (var child in _children)
            {
                child.Module.Parallelism = value;
            }
        }
    }

    /// <summary>The children registered with this module, in registration order.</summary>
    public IReadOnlyList<NamedModule> Children => _children;

    /// <summary>How many modules of a PyTorch <c>nn.Sequential</c> this module stands for (a layer with a fused activation stands for two).</summary>
    internal virtual int TorchModuleCount => 1;

    /// <summary>Computes the output for a batch and caches what <see cref="Backward"/> needs.</summary>
    /// <param name="input">The batch; its first dimension is the batch size. Kept by reference until the backward pass.</param>
    /// <returns>The module-owned output, valid until the next forward pass.</returns>
    /// <exception cref="ArgumentException">The input's shape does not fit the module.</exception>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A failed forward must not leave an earlier pass's state for a later backward to use.
        _output = null;
        return CompleteForward(ForwardCore(input));
    }

    /// <summary>Back-propagates <paramref name="outputGradient"/> through the last forward pass.</summary>
    /// <param name="outputGradient">∂loss/∂output, shaped like the last output.</param>
    /// <returns>The module-owned ∂loss/∂input, valid until the next backward pass.</returns>
    /// <exception cref="InvalidOperationException">No forward pass has completed.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        RequireBackwardAllowed(outputGradient);
        var inputGradient = BackwardCore(outputGradient, computeInputGradient: true);
        if (inputGradient is null)
        {
            ModuleErrors.NoInputGradient(this);
        }

        return inputGradient;
    }

    /// <summary>Back-propagates like <see cref="Backward"/> but skips the input gradient, for a network's first layer whose input is data.</summary>
    /// <param name="outputGradient">∂loss/∂output, shaped like the last output.</param>
    /// <exception cref="InvalidOperationException">No forward pass has completed.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public void AccumulateParameterGradients(Tensor outputGradient)
    {
        RequireBackwardAllowed(outputGradient);
        BackwardCore(outputGradient, computeInputGradient: false);
    }

    /// <summary>Sets the gradient of every parameter of this module and its descendants to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Gradient.Clear();
        }

        foreach (var child in _children)
        {
            child.Module.ZeroGradients();
        }
    }

    /// <summary>Every parameter of this module and its descendants: own parameters first, then each child's, in registration order.</summary>
    public IReadOnlyList<Parameter> Parameters()
    {
        var result = new List<Parameter>();
        foreach (var named in NamedParameters())
        {
            result.Add(named.Parameter);
        }

        return result;
    }

    /// <summary>Every parameter with its dotted path, in the order of <see cref="Parameters"/> (PyTorch's <c>named_parameters</c>).</summary>
    /// <param name="prefix">A path to put in front of every name (e.g. <c>network</c>), or empty.</param>
    public IReadOnlyList<NamedParameter> NamedParameters(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new List<NamedParameter>();
        Collect(prefix, result);
        return result;
    }

    /// <summary>Computes the output of a validated-non-null input; implementations validate the shape.</summary>
    protected abstract Tensor ForwardCore(Tensor input);

    /// <summary>Back-propagates a gradient whose shape matches the last output; returns the input gradient, or null when not requested.</summary>
    protected abstract Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient);

    /// <summary>Records a finished forward pass, for modules that offer forward entry points of their own.</summary>
    protected Tensor CompleteForward(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        return output;
    }

    /// <summary>Marks the module as having no usable forward pass (call before starting one that may fail).</summary>
    protected void InvalidateForward() => _output = null;

    /// <summary>Registers a parameter of this module; its name must be unique among the module's parameters and children.</summary>
    protected Parameter RegisterParameter(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        RequireUniqueName(parameter.Name);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Registers a child whose parameters appear under <paramref name="name"/>.</summary>
    protected TModule RegisterChild<TModule>(string name, TModule child)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(child);
        RequireUniqueName(name);
        if (ReferenceEquals(child, this))
        {
            throw new ArgumentException("A module cannot be its own child.", nameof(child));
        }

        _children.Add(new NamedModule(name, child));
        return child;
    }

    /// <summary>Gives <paramref name="target"/> the shape of <paramref name="source"/> without allocating (unless its storage must grow).</summary>
    private protected static void ReshapeLike(Tensor target, Tensor source)
    {
        Span<int> dims = stackalloc int[source.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            dims[axis] = source.Dim(axis);
        }

        target.Reshape(dims);
    }

    private void RequireBackwardAllowed(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_output is null)
        {
            ModuleErrors.BackwardBeforeForward(this);
        }

        if (!ModuleErrors.SameShape(outputGradient, _output))
        {
            ModuleErrors.WrongGradientShape(this, _output, outputGradient);
        }
    }

    private void RequireUniqueName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Names are path segments and cannot contain '.'; got '{name}'.", nameof(name));
        }

        if (_parameters.Exists(p => p.Name == name) || _children.Exists(c => c.Name == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter or child named '{name}'.", nameof(name));
        }
    }

    private void Collect(string prefix, List<NamedParameter> into)
    {
        foreach (var parameter in _parameters)
        {
            into.Add(new NamedParameter(Join(prefix, parameter.Name), parameter));
        }

        foreach (var child in _children)
        {
            child.Module.Collect(Join(prefix, child.Name), into);
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}

using System.Diagnostics.CodeAnalysis;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Nn.Optimizers;

/// <summary>What an optimizer carries from one step to the next: the step count and its per-parameter buffers.</summary>
/// <remarks>
/// This is the part of an optimizer that a checkpoint must save for training to continue bit-identically;
/// hyperparameters (learning rate, betas, …) are configuration and are not part of it. Buffers are named
/// <c>kind/parameterName</c> after PyTorch's state keys (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>).
/// </remarks>
public sealed class OptimizerState
{
    private readonly OptimizerBuffer[] _buffers;
    private readonly int _parameterCount;
    private readonly string[] _bufferKinds;
    private long _stepCount;

    /// <summary>Creates zeroed state with one buffer of each kind per parameter, and validates the parameter list.</summary>
    /// <param name="algorithm">The optimizer's name (e.g. <c>Adam</c>); state saved by one algorithm is never loaded into another.</param>
    /// <param name="parameters">The parameters, each exactly once, with distinct names.</param>
    /// <param name="bufferKinds">The buffer kinds, each giving one buffer per parameter (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>).</param>
    public OptimizerState(string algorithm, IReadOnlyList<Parameter> parameters, params string[] bufferKinds)
        : this(algorithm, Named(parameters), bufferKinds)
    {
    }

    /// <summary>Creates zeroed state keyed by the given names (a module's dotted paths, e.g. <c>actor.0.weight</c>).</summary>
    /// <param name="algorithm">The optimizer's name (e.g. <c>Adam</c>); state saved by one algorithm is never loaded into another.</param>
    /// <param name="parameters">The parameters with distinct names, each parameter exactly once.</param>
    /// <param name="bufferKinds">The buffer kinds, each giving one buffer per parameter.</param>
    public OptimizerState(string algorithm, IReadOnlyList<NamedParameter> parameters, params string[] bufferKinds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(bufferKinds);
        ValidateParameters(parameters);

        Algorithm = algorithm;
        _bufferKinds = [.. bufferKinds];
        _parameterCount = parameters.Count;
        _buffers = new OptimizerBuffer[bufferKinds.Length * parameters.Count];
        for (var kind = 0; kind < bufferKinds.Length; kind++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(bufferKinds[kind], nameof(bufferKinds));
            for (var index = 0; index < parameters.Count; index++)
            {
                var (name, parameter) = parameters[index];
                _buffers[(kind * _parameterCount) + index] = new OptimizerBuffer($"{bufferKinds[kind]}/{name}", new Tensor([.. parameter.Value.Shape]));
            }
        }
    }

    /// <summary>The name of the optimizer that owns this state (e.g. <c>Adam</c>, <c>Sgd</c>).</summary>
    public string Algorithm { get; }

    /// <summary>The number of steps taken so far (PyTorch's <c>step</c>); Adam's bias correction depends on it.</summary>
    public long StepCount
    {
        get => _stepCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _stepCount = value;
        }
    }

    /// <summary>Every buffer, grouped by kind, then in parameter order.</summary>
    public IReadOnlyList<OptimizerBuffer> Buffers => _buffers;

    /// <summary>Returns the buffer of kind number <paramref name="kind"/> (in construction order) for parameter number <paramref name="parameterIndex"/>.</summary>
    public Tensor Buffer(int kind, int parameterIndex) => _buffers[(kind * _parameterCount) + parameterIndex].Tensor;

    /// <summary>
    /// A copy of this state (step count and every buffer) for <paramref name="parameters"/>, which must match the
    /// parameters it was made for in names and shapes: e.g. a snapshot of them to write to disk while training goes on.
    /// </summary>
    public OptimizerState Copy(IReadOnlyList<NamedParameter> parameters)
    {
        var copy = new OptimizerState(Algorithm, parameters, _bufferKinds);
        if (copy._buffers.Length != _buffers.Length)
        {
            ThrowInvalidParameter(nameof(parameters), $"This state is for {_parameterCount} parameters; got {parameters.Count}.");
        }

        for (var i = 0; i < _buffers.Length; i++)
        {
            if (copy._buffers[i].Name != _buffers[i].Name || copy._buffers[i].Tensor.Length != _buffers[i].Tensor.Length)
            {
                ThrowInvalidParameter(nameof(parameters), $"Buffer {_buffers[i].Name} has no counterpart of the same size (got {copy._buffers[i].Name}).");
            }

            _buffers[i].Tensor.Span.CopyTo(copy._buffers[i].Tensor.Span);
        }

        copy._stepCount = _stepCount;
        return copy;
    }

    /// <summary>Sets the step count and every buffer back to zero, as for a freshly created optimizer.</summary>
    public void Reset()
    {
        _stepCount = 0;
        foreach (var buffer in _buffers)
        {
            buffer.Tensor.Clear();
        }
    }

    /// <summary>Names each parameter by its own (local) name.</summary>
    internal static NamedParameter[] Named(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var named = new NamedParameter[parameters.Count];
        for (var index = 0; index < named.Length; index++)
        {
            var parameter = parameters[index];
            named[index] = new NamedParameter(parameter?.Name ?? string.Empty, parameter!);
        }

        return named;
    }

    private static void ValidateParameters(IReadOnlyList<NamedParameter> parameters)
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < parameters.Count; index++)
        {
            var (name, parameter) = parameters[index];
            if (parameter is null)
            {
                ThrowInvalidParameter(nameof(parameters), $"Parameter {index} is null.");
            }

            if (!seen.Add(parameter))
            {
                ThrowInvalidParameter(nameof(parameters), $"Parameter '{name}' (index {index}) appears more than once; an optimizer updates each parameter once per step.");
            }

            if (!names.Add(name))
            {
                ThrowInvalidParameter(nameof(parameters), $"Two parameters are named '{name}' (second at index {index}); optimizer state is keyed by name, so names must be distinct.");
            }

            if (parameter.Gradient.Length != parameter.Value.Length)
            {
                ThrowInvalidParameter(nameof(parameters), $"Parameter '{name}' has {parameter.Value.Length} values but its gradient has {parameter.Gradient.Length} elements.");
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalidParameter(string parameterName, string message) => throw new ArgumentException(message, parameterName);
}

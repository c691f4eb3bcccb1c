using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tempo.Nn.Modules;

namespace Tempo.Nn.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay, as PyTorch's <c>torch.optim.SGD</c>.</summary>
/// <remarks>
/// Per element, in float32 and in PyTorch's order of operations:
/// <code>
/// d = grad (+ weightDecay·p)                       // negated first when maximizing
/// b = d on the first step, else μ·b + (1−τ)·d      // only when momentum μ ≠ 0
/// d = d + μ·b (Nesterov) or d = b
/// p = p + (−lr)·d
/// </code>
/// The momentum buffer is named <c>momentum_buffer</c> and exists only when momentum is non-zero. <see cref="Step"/> allocates nothing.
/// </remarks>
public sealed class Sgd : IOptimizer
{
    private const int MomentumBuffer = 0;

    private readonly Parameter[] _parameters;
    private double _learningRate;

    /// <summary>Creates an optimizer over <paramref name="parameters"/>.</summary>
    public Sgd(IReadOnlyList<Parameter> parameters, SgdOptions options)
        : this(OptimizerState.Named(parameters), options)
    {
    }

    /// <summary>Creates an optimizer over named parameters (a module's <c>NamedParameters</c>); state is keyed by those names.</summary>
    public Sgd(IReadOnlyList<NamedParameter> parameters, SgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        State = options.Momentum != 0
            ? new OptimizerState(nameof(Sgd), parameters, "momentum_buffer")
            : new OptimizerState(nameof(Sgd), parameters);
        _parameters = [.. parameters.Select(p => p.Parameter)];
        Options = options;
        _learningRate = options.LearningRate;
    }

    /// <summary>The hyperparameters given at construction (<see cref="LearningRate"/> may have changed since).</summary>
    public SgdOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public OptimizerState State { get; }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            }

            _learningRate = value;
        }
    }

    /// <inheritdoc/>
    public void Step()
    {
        var hasMomentum = Options.Momentum != 0;
        for (var index = 0; index < _parameters.Length; index++)
        {
            var parameter = _parameters[index];
            var length = parameter.Value.Length;
            var bufferLength = hasMomentum ? State.Buffer(MomentumBuffer, index).Length : length;
            if (parameter.Gradient.Length != length || bufferLength != length)
            {
                ThrowLengthMismatch(parameter, bufferLength);
            }
        }

        var coefficients = new Coefficients(
            momentum: (float)Options.Momentum,
            oneMinusDampening: (float)(1 - Options.Dampening),
            negativeLearningRate: (float)-_learningRate,
            weightDecay: (float)Options.WeightDecay,
            hasMomentum: hasMomentum,
            // PyTorch creates the buffer as a copy of the first update direction, without dampening.
            firstStep: State.StepCount == 0,
            nesterov: Options.Nesterov,
            maximize: Options.Maximize);

        for (var index = 0; index < _parameters.Length; index++)
        {
            var parameter = _parameters[index];
            var buffer = hasMomentum ? State.Buffer(MomentumBuffer, index).Span : [];
            Update(parameter.Value.Span, parameter.Gradient.Span, buffer, coefficients);
        }

        State.StepCount++;
    }

    /// <inheritdoc/>
    public void ZeroGrad() => Gradients.ZeroGrad(_parameters);

    private static void Update(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> momentumBuffer, in Coefficients c)
    {
        var length = parameter.Length;
        var i = 0;

        // Element-wise IEEE operations only (no fused multiply-add): the vector and scalar paths agree bit for bit.
        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            ref var p = ref MemoryMarshal.GetReference(parameter);
            ref var g = ref MemoryMarshal.GetReference(gradient);
            ref var b = ref MemoryMarshal.GetReference(momentumBuffer);
            var last = length - Vector256<float>.Count;
            for (; i <= last; i += Vector256<float>.Count)
            {
                var offset = (nuint)i;
                var pv = Vector256.LoadUnsafe(ref p, offset);
                var dv = Vector256.LoadUnsafe(ref g, offset);
                if (c.Maximize)
                {
                    dv = -dv;
                }

                if (c.WeightDecay != 0f)
                {
                    dv += pv * c.WeightDecay;
                }

                if (c.HasMomentum)
                {
                    var bv = c.FirstStep ? dv : (Vector256.LoadUnsafe(ref b, offset) * c.Momentum) + (dv * c.OneMinusDampening);
                    bv.StoreUnsafe(ref b, offset);
                    dv = c.Nesterov ? dv + (bv * c.Momentum) : bv;
                }

                pv += dv * c.NegativeLearningRate;
                pv.StoreUnsafe(ref p, offset);
            }
        }

        for (; i < length; i++)
        {
            var pi = parameter[i];
            var di = c.Maximize ? -gradient[i] : gradient[i];
            if (c.WeightDecay != 0f)
            {
                di += pi * c.WeightDecay;
            }

            if (c.HasMomentum)
            {
                var bi = c.FirstStep ? di : (momentumBuffer[i] * c.Momentum) + (di * c.OneMinusDampening);
                momentumBuffer[i] = bi;
                di = c.Nesterov ? di + (bi * c.Momentum) : bi;
            }

            parameter[i] = pi + (di * c.NegativeLearningRate);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch(Parameter parameter, int bufferLength) =>
        throw new InvalidOperationException(
            $"Parameter '{parameter.Name}' has {parameter.Value.Length} values, its gradient {parameter.Gradient.Length} and its momentum buffer {bufferLength}; a parameter must not be reshaped after the optimizer is created.");

    private readonly struct Coefficients(
        float momentum,
        float oneMinusDampening,
        float negativeLearningRate,
        float weightDecay,
        bool hasMomentum,
        bool firstStep,
        bool nesterov,
        bool maximize)
    {
        public float Momentum { get; } = momentum;

        public float OneMinusDampening { get; } = oneMinusDampening;

        public float NegativeLearningRate { get; } = negativeLearningRate;

        public float WeightDecay { get; } = weightDecay;

        public bool HasMomentum { get; } = hasMomentum;

        public bool FirstStep { get; } = firstStep;

        public bool Nesterov { get; } = nesterov;

        public bool Maximize { get; } = maximize;
    }
}

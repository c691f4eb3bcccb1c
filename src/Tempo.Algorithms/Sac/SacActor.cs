using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;

namespace Tempo.Algorithms.Sac;

/// <summary>sac_continuous_action.py's <c>Actor</c>: a ReLU trunk feeding a mean head and a log-std head, the log-std squashed into [−5, 2].</summary>
/// <remarks>
/// <para>Parameters <c>fc1</c>, <c>fc2</c> (the trunk, one per hidden width), <c>fc_mean</c>, <c>fc_logstd</c>, PyTorch's
/// default initialization. The output row is <c>[mean | log_std]</c> (2·|A| values) with
/// log_std = −5 + ½·(2 − (−5))·(tanh(z) + 1) as the script bounds it; sampling and squashing into the action box are
/// <see cref="SquashedGaussian"/>'s.</para>
/// </remarks>
public sealed class SacActor : Module
{
    /// <summary>The script's LOG_STD_MIN.</summary>
    public const float LogStdMin = -5f;

    /// <summary>The script's LOG_STD_MAX.</summary>
    public const float LogStdMax = 2f;

    private readonly Linear[] _trunk;
    private readonly Linear _mean;
    private readonly Linear _logStd;
    private readonly Tensor _output;
    private readonly Tensor _meanGradient;
    private readonly Tensor _logStdGradient;
    private readonly Tensor _hiddenGradient;

    /// <summary>Builds the actor for <paramref name="observationSize"/> inputs and <paramref name="actionSize"/> action dimensions.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actionSize">Action dimensions |A|.</param>
    /// <param name="hiddenSizes">Hidden widths (the script: 256, 256).</param>
    /// <param name="random">The source of the initial weights.</param>
    public SacActor(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(random);
        if (hiddenSizes.Count == 0)
        {
            throw new ArgumentException("SAC's actor needs at least one hidden layer (the script: 256, 256).", nameof(hiddenSizes));
        }

        ObservationSize = observationSize;
        ActionSize = actionSize;
        HiddenSizes = [.. hiddenSizes];
        _trunk = new Linear[hiddenSizes.Count];
        var input = observationSize;
        for (var i = 0; i < _trunk.Length; i++)
        {
            _trunk[i] = RegisterChild($"fc{i + 1}", new Linear(input, hiddenSizes[i], random, Activation.Relu));
            input = hiddenSizes[i];
        }

        _mean = RegisterChild("fc_mean", new Linear(input, actionSize, random));
        _logStd = RegisterChild("fc_logstd", new Linear(input, actionSize, random));
        _output = new Tensor(0, 2 * actionSize);
        _meanGradient = new Tensor(0, actionSize);
        _logStdGradient = new Tensor(0, actionSize);
        _hiddenGradient = new Tensor(0, input);
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Action dimensions |A|.</summary>
    public int ActionSize { get; }

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>An actor of the same architecture, its weights drawn from <paramref name="random"/>.</summary>
    public SacActor CreateSibling(Random random) => new(ObservationSize, ActionSize, HiddenSizes, random);

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor input)
    {
        var hidden = input;
        foreach (var layer in _trunk)
        {
            hidden = layer.Forward(hidden);
        }

        var mean = _mean.Forward(hidden).Span;
        var logStd = _logStd.Forward(hidden).Span;
        var batch = input.Dim(0);
        var n = ActionSize;
        _output.Reshape(batch, 2 * n);
        var output = _output.Span;
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < n; j++)
            {
                output[(b * 2 * n) + j] = mean[(b * n) + j];
                output[(b * 2 * n) + n + j] = LogStdMin + (0.5f * (LogStdMax - LogStdMin) * (MathF.Tanh(logStd[(b * n) + j]) + 1f));
            }
        }

        return _output;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient, bool computeInputGradient)
    {
        var batch = outputGradient.Dim(0);
        var n = ActionSize;
        _meanGradient.Reshape(batch, n);
        _logStdGradient.Reshape(batch, n);
        var g = outputGradient.Span;
        var output = _output.Span;
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < n; j++)
            {
                _meanGradient.Span[(b * n) + j] = g[(b * 2 * n) + j];

                // log_std = min + ½(max − min)(tanh z + 1), so ∂/∂z = ½(max − min)(1 − tanh² z), tanh z read back from the output.
                var t = (2f * (output[(b * 2 * n) + n + j] - LogStdMin) / (LogStdMax - LogStdMin)) - 1f;
                _logStdGradient.Span[(b * n) + j] = g[(b * 2 * n) + n + j] * 0.5f * (LogStdMax - LogStdMin) * (1f - (t * t));
            }
        }

        var fromMean = _mean.Backward(_meanGradient);
        _hiddenGradient.Reshape(batch, fromMean.Dim(1));
        fromMean.Span.CopyTo(_hiddenGradient.Span);
        var fromLogStd = _logStd.Backward(_logStdGradient).Span;
        var h = _hiddenGradient.Span;
        for (var i = 0; i < h.Length; i++)
        {
            h[i] += fromLogStd[i];
        }

        var gradient = _hiddenGradient;
        for (var i = _trunk.Length - 1; i > 0; i--)
        {
            gradient = _trunk[i].Backward(gradient);
        }

        if (computeInputGradient)
        {
            return _trunk[0].Backward(gradient);
        }

        _trunk[0].AccumulateParameterGradients(gradient);
        return null;
    }
}

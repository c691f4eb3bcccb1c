namespace Tempo.Tests.Shared;

/// <summary>
/// A feed-forward stack (convolutions, dense layers, ReLU, Tanh, a constant scale) evaluated in double beside a running
/// error bound E: how far any float32 implementation that adds its sums in any order can be from the exact result
/// (Higham §3.1 per sum, then propagated: affine maps carry E through |W|, ReLU and Tanh are 1-Lipschitz). Parity
/// tests hold two implementations (Tempo and PyTorch) to 2E of each other. The bounds are per element, so a
/// cancellation in one output gets the bound its own terms earn, and a ReLU whose input lies within E of zero may be
/// switched either way (its gradient is then bounded by the whole upstream gradient).
/// </summary>
internal sealed class BoundedStack
{
    private readonly List<Layer> _layers;
    private readonly List<State> _states = [];
    private readonly int _batch;

    /// <summary>A stack over a batch of inputs shaped [batch, channels, height, width] (dense inputs: height = width = 1).</summary>
    public BoundedStack(int batch, int channels, int height, int width, IEnumerable<Layer> layers)
    {
        _batch = batch;
        _layers = [.. layers];
        (Channels, Height, Width) = (channels, height, width);
    }

    private int Channels { get; }

    private int Height { get; }

    private int Width { get; }

    /// <summary>A layer of the stack.</summary>
    internal abstract record Layer;

    /// <summary>
    /// A convolution (PyTorch's weight layout [out, in, kh, kw]); a dense layer over [batch, in, 1, 1], or over a
    /// flattened [batch, c, h, w] with kh = h and kw = w, since its row-major flattening matches.
    /// </summary>
    internal sealed record Affine(float[] Weight, float[] Bias, int OutChannels, int KernelHeight, int KernelWidth, int Stride = 1, int Padding = 0) : Layer;

    /// <summary>max(x, 0), exact on both sides.</summary>
    internal sealed record Relu : Layer;

    /// <summary>tanh(x), each side within <paramref name="RelativeAccuracy"/>·u of exact (ours 6.5u, see ActivationModuleTests).</summary>
    internal sealed record Tanh(double RelativeAccuracy = Float32Bounds.TanhRelativeAccuracy) : Layer;

    /// <summary>
    /// The dueling aggregation over [batch, 1 + n] (value first, then n advantages): q_j = v + a_j − mean(a). Each side
    /// sums the advantages (n terms), divides by n and forms v + a_j − mean: within γ_(n+3) of exact relative to
    /// |v| + |a_j| + mean|a|.
    /// </summary>
    internal sealed record Dueling : Layer;

    /// <summary>x·factor, each side within γ_roundings relative (x / 255 is one rounding; x·fl(1/255) two).</summary>
    internal sealed record Scale(double Factor, int Roundings) : Layer;

    /// <summary>The final output, exact (in double).</summary>
    public double[] Output { get; private set; } = [];

    /// <summary>The bound E on the final output's distance from exact.</summary>
    public double[] OutputError { get; private set; } = [];

    /// <summary>Per <see cref="Affine"/> layer, in order: its weight and bias gradients (exact) and their bounds E.</summary>
    public List<(double[] Weight, double[] WeightError, double[] Bias, double[] BiasError)> Gradients { get; } = [];

    /// <summary>
    /// After <see cref="Backward"/>: the gradient of the stack's input (exact) and its bound E, for a stack that feeds
    /// on the outputs of others (a head over two encoders).
    /// </summary>
    public (double[] Gradient, double[] Error) InputGradient { get; private set; } = ([], []);

    /// <summary>Runs the stack on exact inputs (float32 values, so both sides start from the same numbers).</summary>
    public void Forward(ReadOnlySpan<float> input)
    {
        var value = new double[input.Length];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = input[i];
        }

        Forward(value, new double[value.Length]);
    }

    /// <summary>Runs the stack on inputs known within <paramref name="inputError"/> of exact (another stack's output and its E).</summary>
    public void Forward(double[] input, double[] inputError)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(inputError);
        _states.Clear();
        var (c, h, w) = (Channels, Height, Width);
        var (value, error) = (input, inputError);
        foreach (var layer in _layers)
        {
            var state = new State(layer, value, error);
            switch (layer)
            {
                case Affine a:
                    var shape = new ConvShape(_batch, c, h, w, a.OutChannels, a.KernelHeight, a.KernelWidth, a.Stride, a.Padding);
                    state.Shape = shape;
                    var n = (c * a.KernelHeight * a.KernelWidth) + 1;
                    var z = new double[shape.OutputLength];
                    var magnitude = new double[z.Length];
                    var propagated = new double[z.Length];
                    shape.ForEachTap((o, x, k, co) =>
                    {
                        z[o] += a.Weight[k] * value[x];
                        magnitude[o] += Math.Abs(a.Weight[k]) * (Math.Abs(value[x]) + error[x]);
                        propagated[o] += Math.Abs(a.Weight[k]) * error[x];
                    });
                    for (var o = 0; o < z.Length; o++)
                    {
                        var co = o / (shape.OutputHeight * shape.OutputWidth) % a.OutChannels;
                        z[o] += a.Bias[co];
                        magnitude[o] += Math.Abs(a.Bias[co]);
                        propagated[o] += Float32Bounds.Gamma(n) * magnitude[o];
                    }

                    (value, error, c, h, w) = (z, propagated, a.OutChannels, shape.OutputHeight, shape.OutputWidth);
                    break;
                case Dueling:
                    (value, error) = DuelingForward(value, error, c);
                    c--;
                    break;
                case Relu:
                    value = value.Select(v => Math.Max(v, 0)).ToArray();
                    error = [.. error];
                    break;
                case Tanh t:
                    var tanh = value.Select(Math.Tanh).ToArray();
                    error = error.Select((e, i) => e + (t.RelativeAccuracy * Float32Bounds.Unit * (Math.Abs(tanh[i]) + e))).ToArray();
                    value = tanh;
                    break;
                case Scale s:
                    var scaled = value.Select(v => v * s.Factor).ToArray();
                    error = error.Select((e, i) => (Math.Abs(s.Factor) * e) + (Float32Bounds.Gamma(s.Roundings) * Math.Abs(s.Factor) * (Math.Abs(value[i]) + e))).ToArray();
                    value = scaled;
                    break;
                default:
                    throw new NotSupportedException(layer.GetType().Name);
            }

            state.Output = value;
            state.OutputError = error;
            _states.Add(state);
        }

        (Output, OutputError) = (value, error);
    }

    /// <summary>
    /// Back-propagates an upstream gradient of the final output (exact float32 values, or values with a bound of their
    /// own) and fills <see cref="Gradients"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<double> upstream, ReadOnlySpan<double> upstreamError = default)
    {
        var g = upstream.ToArray();
        var eg = upstreamError.IsEmpty ? new double[g.Length] : upstreamError.ToArray();
        Gradients.Clear();
        for (var l = _states.Count - 1; l >= 0; l--)
        {
            var s = _states[l];
            switch (s.Layer)
            {
                case Affine a:
                    var shape = s.Shape!;
                    var positions = shape.Batch * shape.OutputHeight * shape.OutputWidth;
                    var taps = a.OutChannels * a.KernelHeight * a.KernelWidth;
                    var dw = new double[a.Weight.Length];
                    var dwMagnitude = new double[dw.Length];
                    var dwPropagated = new double[dw.Length];
                    var dx = new double[s.Input.Length];
                    var dxMagnitude = new double[dx.Length];
                    var dxPropagated = new double[dx.Length];
                    var (gs, egs, x, ex) = (g, eg, s.Input, s.InputError);
                    shape.ForEachTap((o, xi, k, co) =>
                    {
                        var gBound = Math.Abs(gs[o]) + egs[o];
                        var xBound = Math.Abs(x[xi]) + ex[xi];
                        dw[k] += gs[o] * x[xi];
                        dwMagnitude[k] += gBound * xBound;
                        dwPropagated[k] += (egs[o] * xBound) + (Math.Abs(gs[o]) * ex[xi]);
                        dx[xi] += a.Weight[k] * gs[o];
                        dxMagnitude[xi] += Math.Abs(a.Weight[k]) * gBound;
                        dxPropagated[xi] += Math.Abs(a.Weight[k]) * egs[o];
                    });
                    var db = new double[a.Bias.Length];
                    var dbMagnitude = new double[db.Length];
                    var dbPropagated = new double[db.Length];
                    for (var o = 0; o < g.Length; o++)
                    {
                        var co = o / (shape.OutputHeight * shape.OutputWidth) % a.OutChannels;
                        db[co] += g[o];
                        dbMagnitude[co] += Math.Abs(g[o]) + eg[o];
                        dbPropagated[co] += eg[o];
                    }

                    Gradients.Insert(0, (
                        dw,
                        dw.Select((_, k) => dwPropagated[k] + (Float32Bounds.Gamma(positions) * dwMagnitude[k])).ToArray(),
                        db,
                        db.Select((_, k) => dbPropagated[k] + (Float32Bounds.Gamma(positions) * dbMagnitude[k])).ToArray()));
                    g = dx;
                    eg = dx.Select((_, i) => dxPropagated[i] + (Float32Bounds.Gamma(taps) * dxMagnitude[i])).ToArray();
                    break;
                case Dueling:
                    (g, eg) = DuelingBackward(g, eg, s.Input.Length / _batch);
                    break;
                case Relu:
                    // A pre-activation within its bound of zero may fall on either side on either implementation.
                    var (gr, egr) = (g, eg);
                    eg = s.Input.Select((z, i) => Math.Abs(z) <= s.InputError[i] ? Math.Abs(gr[i]) + egr[i] : egr[i]).ToArray();
                    g = s.Input.Select((z, i) => z > 0 ? gr[i] : 0).ToArray();
                    break;
                case Tanh:
                    // Each side forms g·(1 − y²) from its own y (within E of exact), rounding y², 1 − y² and the product.
                    var (gt, egt) = (g, eg);
                    g = s.Output.Select((y, i) => gt[i] * (1 - (y * y))).ToArray();
                    eg = s.Output.Select((y, i) =>
                    {
                        var e = s.OutputError[i];
                        var yBound = Math.Abs(y) + e;
                        var factorError = (e * ((2 * Math.Abs(y)) + e)) + (Float32Bounds.Unit * yBound * yBound);
                        var factorBound = Math.Abs(1 - (y * y)) + factorError;
                        factorError += Float32Bounds.Unit * factorBound;
                        return (egt[i] * factorBound) + (Math.Abs(gt[i]) * factorError) + (Float32Bounds.Unit * (Math.Abs(gt[i]) + egt[i]) * factorBound);
                    }).ToArray();
                    break;
                case Scale sc:
                    var (gsc, egsc) = (g, eg);
                    g = gsc.Select(v => v * sc.Factor).ToArray();
                    eg = egsc.Select((e, i) => (Math.Abs(sc.Factor) * e) + (Float32Bounds.Gamma(sc.Roundings) * Math.Abs(sc.Factor) * (Math.Abs(gsc[i]) + e))).ToArray();
                    break;
                default:
                    throw new NotSupportedException(s.Layer.GetType().Name);
            }
        }

        InputGradient = (g, eg);
    }

    private (double[] Value, double[] Error) DuelingForward(double[] input, double[] inputError, int width)
    {
        var actions = width - 1;
        var q = new double[_batch * actions];
        var error = new double[q.Length];
        for (var b = 0; b < _batch; b++)
        {
            var row = b * width;
            double mean = 0, meanMagnitude = 0, meanError = 0;
            for (var k = 1; k < width; k++)
            {
                mean += input[row + k] / actions;
                meanMagnitude += (Math.Abs(input[row + k]) + inputError[row + k]) / actions;
                meanError += inputError[row + k] / actions;
            }

            for (var j = 0; j < actions; j++)
            {
                var (v, a) = (input[row], input[row + 1 + j]);
                q[(b * actions) + j] = v + a - mean;
                var magnitude = Math.Abs(v) + inputError[row] + Math.Abs(a) + inputError[row + 1 + j] + meanMagnitude;
                error[(b * actions) + j] = inputError[row] + inputError[row + 1 + j] + meanError + (Float32Bounds.Gamma(actions + 3) * magnitude);
            }
        }

        return (q, error);
    }

    /// <summary>∂q_j/∂v = 1, ∂q_j/∂a_k = δ_jk − 1/n: each side sums the row's gradients (n terms) and subtracts its mean.</summary>
    private (double[] Gradient, double[] Error) DuelingBackward(double[] upstream, double[] upstreamError, int width)
    {
        var actions = width - 1;
        var gradient = new double[_batch * width];
        var error = new double[gradient.Length];
        for (var b = 0; b < _batch; b++)
        {
            double sum = 0, sumMagnitude = 0, sumError = 0;
            for (var j = 0; j < actions; j++)
            {
                sum += upstream[(b * actions) + j];
                sumMagnitude += Math.Abs(upstream[(b * actions) + j]) + upstreamError[(b * actions) + j];
                sumError += upstreamError[(b * actions) + j];
            }

            gradient[b * width] = sum;
            error[b * width] = sumError + (Float32Bounds.Gamma(actions) * sumMagnitude);
            for (var k = 0; k < actions; k++)
            {
                var g = upstream[(b * actions) + k];
                gradient[(b * width) + 1 + k] = g - (sum / actions);
                error[(b * width) + 1 + k] = upstreamError[(b * actions) + k] + (sumError / actions)
                    + (Float32Bounds.Gamma(actions + 2) * (Math.Abs(g) + upstreamError[(b * actions) + k] + (sumMagnitude / actions)));
            }
        }

        return (gradient, error);
    }

    /// <summary>The exact input-side values and bounds of one layer, kept for the backward pass.</summary>
    private sealed class State(Layer layer, double[] input, double[] inputError)
    {
        public Layer Layer { get; } = layer;

        public double[] Input { get; } = input;

        public double[] InputError { get; } = inputError;

        public ConvShape? Shape { get; set; }

        public double[] Output { get; set; } = [];

        public double[] OutputError { get; set; } = [];
    }

    /// <summary>The index arithmetic of a convolution over NCHW.</summary>
    private sealed record ConvShape(int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding)
    {
        public int OutputHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

        public int OutputWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

        public int OutputLength => Batch * OutChannels * OutputHeight * OutputWidth;

        /// <summary>Calls tap(output index, input index, weight index, output channel) for every product of the convolution.</summary>
        public void ForEachTap(Action<int, int, int, int> tap)
        {
            for (var n = 0; n < Batch; n++)
            {
                for (var co = 0; co < OutChannels; co++)
                {
                    for (var oy = 0; oy < OutputHeight; oy++)
                    {
                        for (var ox = 0; ox < OutputWidth; ox++)
                        {
                            var o = (((((n * OutChannels) + co) * OutputHeight) + oy) * OutputWidth) + ox;
                            for (var ci = 0; ci < InChannels; ci++)
                            {
                                for (var ky = 0; ky < KernelHeight; ky++)
                                {
                                    var iy = (oy * Stride) - Padding + ky;
                                    if (iy < 0 || iy >= Height)
                                    {
                                        continue;
                                    }

                                    for (var kx = 0; kx < KernelWidth; kx++)
                                    {
                                        var ix = (ox * Stride) - Padding + kx;
                                        if (ix < 0 || ix >= Width)
                                        {
                                            continue;
                                        }

                                        var x = (((((n * InChannels) + ci) * Height) + iy) * Width) + ix;
                                        var k = (((((co * InChannels) + ci) * KernelHeight) + ky) * KernelWidth) + kx;
                                        tap(o, x, k, co);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

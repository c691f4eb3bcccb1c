using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Optimizers;

public sealed class SgdTests
{
    [Fact]
    public void Step_PlainSgd_SubtractsLearningRateTimesGradient()
    {
        var parameter = Scalar(1f);

        Run(parameter, new SgdOptions { LearningRate = 0.1 }, 0.5f);

        Assert.Equal(0.95f, parameter.Value.Span[0], 1e-7f);
    }

    [Fact]
    public void Step_Momentum_FirstStepCopiesGradientThenAccumulates()
    {
        // Hand-computed: b1 = 1, p = −0.1; b2 = 0.9·1 + 2 = 2.9, p = −0.39; b3 = 2.61 + 3 = 5.61, p = −0.951.
        var parameter = Scalar(0f);
        var sgd = new Sgd([parameter], new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });

        float[] expectedParameter = [-0.1f, -0.39f, -0.951f];
        float[] expectedBuffer = [1f, 2.9f, 5.61f];
        for (var step = 0; step < 3; step++)
        {
            parameter.Gradient.Span[0] = step + 1;
            sgd.Step();
            Assert.Equal(expectedParameter[step], parameter.Value.Span[0], 1e-6f);
            Assert.Equal(expectedBuffer[step], sgd.State.Buffer(0, 0).Span[0], 1e-6f);
        }
    }

    [Fact]
    public void Step_Dampening_AppliesFromSecondStepOnly()
    {
        // b1 = g1 = 1 (no dampening on the first step); b2 = 0.9·1 + 0.5·2 = 1.9; p = −0.1 − 0.19 = −0.29.
        var parameter = Scalar(0f);
        var sgd = new Sgd([parameter], new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Dampening = 0.5 });

        parameter.Gradient.Span[0] = 1f;
        sgd.Step();
        Assert.Equal(1f, sgd.State.Buffer(0, 0).Span[0]);
        parameter.Gradient.Span[0] = 2f;
        sgd.Step();

        Assert.Equal(1.9f, sgd.State.Buffer(0, 0).Span[0], 1e-6f);
        Assert.Equal(-0.29f, parameter.Value.Span[0], 1e-6f);
    }

    [Fact]
    public void Step_Nesterov_StepsAlongGradientPlusMomentumTimesBuffer()
    {
        // b1 = 1, d = 1 + 0.9·1 = 1.9, p = −0.19; b2 = 2.9, d = 2 + 0.9·2.9 = 4.61, p = −0.651.
        var parameter = Scalar(0f);
        var sgd = new Sgd([parameter], new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true });

        parameter.Gradient.Span[0] = 1f;
        sgd.Step();
        Assert.Equal(-0.19f, parameter.Value.Span[0], 1e-6f);
        parameter.Gradient.Span[0] = 2f;
        sgd.Step();

        Assert.Equal(-0.651f, parameter.Value.Span[0], 1e-6f);
    }

    [Fact]
    public void Step_WeightDecay_AddsDecayTimesParameterWithoutTouchingGradient()
    {
        // d = 0.5 + 0.1·2 = 0.7; p = 2 − 0.1·0.7 = 1.93.
        var parameter = Scalar(2f);

        Run(parameter, new SgdOptions { LearningRate = 0.1, WeightDecay = 0.1 }, 0.5f);

        Assert.Equal(1.93f, parameter.Value.Span[0], 1e-6f);
        Assert.Equal(0.5f, parameter.Gradient.Span[0]);
    }

    [Fact]
    public void Step_Maximize_StepsAlongTheGradient()
    {
        var parameter = Scalar(1f);

        Run(parameter, new SgdOptions { LearningRate = 0.1, Maximize = true }, 0.5f);

        Assert.Equal(1.05f, parameter.Value.Span[0], 1e-7f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_AnyLength_MatchesScalarReferenceBitForBit(bool nesterov)
    {
        const int Length = 29;
        var options = new SgdOptions { LearningRate = 0.05, Momentum = 0.8, Nesterov = nesterov, Dampening = 0, WeightDecay = 0.01 };
        var random = new Random(7);
        var parameter = new Parameter("w", Length);
        var expected = new float[Length];
        var buffer = new float[Length];
        for (var i = 0; i < Length; i++)
        {
            parameter.Value.Span[i] = expected[i] = random.NextSingle();
        }

        var sgd = new Sgd([parameter], options);
        for (var step = 0; step < 4; step++)
        {
            for (var i = 0; i < Length; i++)
            {
                var gradient = parameter.Gradient.Span[i] = random.NextSingle() - 0.5f;

                // torch.optim.SGD, PyTorch 1.13, _single_tensor_sgd.
                var d = gradient + ((float)options.WeightDecay * expected[i]);
                buffer[i] = step == 0 ? d : (buffer[i] * (float)options.Momentum) + ((float)(1 - options.Dampening) * d);
                d = nesterov ? d + ((float)options.Momentum * buffer[i]) : buffer[i];
                expected[i] += (float)-options.LearningRate * d;
            }

            sgd.Step();
            Assert.Equal(expected, parameter.Value.Span.ToArray());
            Assert.Equal(buffer, sgd.State.Buffer(0, 0).Span.ToArray());
        }
    }

    [Fact]
    public void State_WithoutMomentum_HasNoBuffers()
    {
        var sgd = new Sgd([Scalar(0f)], new SgdOptions());

        Assert.Empty(sgd.State.Buffers);
        Assert.Equal("Sgd", sgd.State.Algorithm);
    }

    [Fact]
    public void State_WithMomentum_NamesBufferAfterParameter()
    {
        var sgd = new Sgd([new Parameter("layer.bias", 3)], new SgdOptions { Momentum = 0.9 });

        Assert.Equal("momentum_buffer/layer.bias", Assert.Single(sgd.State.Buffers).Name);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.9, 0.1)]
    public void Constructor_NesterovWithoutMomentumOrWithDampening_Throws(double momentum, double dampening)
    {
        var options = new SgdOptions { Momentum = momentum, Dampening = dampening, Nesterov = true };

        Assert.Throws<ArgumentException>(() => new Sgd([Scalar(0f)], options));
    }

    [Fact]
    public void Step_SteadyState_AllocatesNothing()
    {
        var parameters = new[] { new Parameter("a", 100), new Parameter("b", 3) };
        var sgd = new Sgd(parameters, new SgdOptions { Momentum = 0.9, Nesterov = true });

        Assert.Equal(0, Allocations.OnThisThread(sgd.Step, warmUp: 1, repetitions: 100));
    }

    [Fact]
    public void LearningRate_ChangedBetweenSteps_NextStepUsesNewRate()
    {
        var parameter = Scalar(1f);
        var sgd = new Sgd([parameter], new SgdOptions { LearningRate = 0.1 });
        parameter.Gradient.Span[0] = 1f;

        sgd.LearningRate = 0.5;
        sgd.Step();

        Assert.Equal(0.5f, parameter.Value.Span[0]);
        Assert.Equal(1, sgd.State.StepCount);
    }

    private static Parameter Scalar(float value)
    {
        var parameter = new Parameter("w", 1);
        parameter.Value.Span[0] = value;
        return parameter;
    }

    private static void Run(Parameter parameter, SgdOptions options, float gradient)
    {
        parameter.Gradient.Span[0] = gradient;
        new Sgd([parameter], options).Step();
    }
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Tensors;
using Tempo.Tests.Shared;

namespace Tempo.Nn.Tests.Modules;

// Each test takes the least of several rounds (Allocations.OnThisThread): tiered compilation may allocate on this thread
// when it swaps in a hot method (one CNN case measured 1,576 bytes beside two CPU hogs); steady-state allocation shows in every round.
public sealed class ModuleAllocationTests
{
    [Fact]
    public void ForwardAndBackward_MlpOnceSized_AllocateNothingEvenWhenTheBatchSizeAlternates()
    {
        var random = new Random(1);
        var network = Mlp.Create([4, 64, 64, 2], Activation.Tanh, random);
        var large = LinearTests.RandomTensor(random, 128, 4);
        var largeGradient = LinearTests.RandomTensor(random, 128, 2);
        var single = LinearTests.RandomTensor(random, 1, 4);
        var singleGradient = LinearTests.RandomTensor(random, 1, 2);

        void Step()
        {
            network.Forward(large);
            network.Backward(largeGradient);
            network.Forward(single);
            network.Backward(singleGradient);
            network.Forward(large);
            network.AccumulateParameterGradients(largeGradient);
            network.ZeroGradients();
        }

        Assert.Equal(0, Allocations.OnThisThread(Step, warmUp: 1, repetitions: 20));
    }

    [Fact]
    public void ForwardAndBackward_NatureCnnOnceSized_AllocateNothing()
    {
        var random = new Random(2);
        var network = new NatureCnn(1, 36, 36, random, hiddenSize: 8);
        var frames = new byte[2 * 36 * 36];
        random.NextBytes(frames);
        var pixels = new Tensor(frames.Select(b => (float)b).ToArray(), 2, 1, 36, 36);
        var gradient = LinearTests.RandomTensor(random, 2, 8);
        var singleGradient = LinearTests.RandomTensor(random, 1, 8);

        void Step()
        {
            network.Forward(frames, 2);
            network.AccumulateParameterGradients(gradient);
            network.Forward(pixels);
            network.Backward(gradient);
            network.Forward(frames.AsSpan(0, 36 * 36), 1);
            network.Backward(singleGradient);
        }

        Assert.Equal(0, Allocations.OnThisThread(Step, warmUp: 1, repetitions: 2));
    }

    [Fact]
    public void ForwardAndBackward_StandaloneActivationsAndFlatten_AllocateNothing()
    {
        var random = new Random(3);
        var network = new Sequential(new Tanh(), new Relu(), new Flatten());
        var input = LinearTests.RandomTensor(random, 3, 2, 5);
        var gradient = LinearTests.RandomTensor(random, 3, 10);

        void Step()
        {
            network.Forward(input);
            network.Backward(gradient);
        }

        Assert.Equal(0, Allocations.OnThisThread(Step, warmUp: 1, repetitions: 20));
    }
}

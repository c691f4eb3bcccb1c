using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// What PyTorch's <c>mlp_forward_b1_actor_critic_no_grad</c> and <c>mlp_actor_step_b1</c> measure (benchmarks/peers/RESULTS.md):
/// CleanRL's CartPole actor and critic forward at batch 1, and one acting step (forward, sample, log-prob, value).
/// The update the peers time as <c>mlp_ppo_update_b128</c> is <see cref="PpoMinibatchUpdateBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class ActingBenchmarks
{
    private CategoricalMlpActorCritic _model = null!;
    private float[] _one = null!;
    private int[] _action = null!;
    private float[] _logProb = null!;
    private float[] _value = null!;
    private InferencePlan _actorPlan = null!;
    private InferencePlan _criticPlan = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _model = new CategoricalMlpActorCritic(4, 2, [64, 64], random);
        _one = [.. Enumerable.Range(0, 4).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _action = new int[1];
        _logProb = new float[1];
        _value = new float[1];
        var networks = new Random(2);
        _actorPlan = new InferencePlan(Mlp.CreateOrthogonal([4, 64, 64, 2], Activation.Tanh, LayerInit.HiddenGain, LayerInit.PolicyHeadGain, networks));
        _criticPlan = new InferencePlan(Mlp.CreateOrthogonal([4, 64, 64, 1], Activation.Tanh, LayerInit.HiddenGain, LayerInit.ValueHeadGain, networks));
    }

    /// <summary>CleanRL's actor (4-64-64-2) and critic (4-64-64-1) tanh MLPs forward at batch 1, as acting runs them (PyTorch: 35.6 µs).</summary>
    [Benchmark]
    public float ActorCriticForwardBatch1() => _actorPlan.Forward(_one, 1)[0] + _criticPlan.Forward(_one, 1)[0];

    /// <summary>An actor's step at batch 1: both networks forward, sample an action, its log-prob, the value (PyTorch's get_action_and_value: 134.4 µs).</summary>
    [Benchmark]
    public int ActBatch1()
    {
        _model.Act(_one, 1, ActionSelection.Sample, _action, _logProb, _value);
        return _action[0];
    }
}

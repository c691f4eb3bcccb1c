using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Ppo;
using Tempo.Nn.Initialization;
using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Benchmarks.Algorithms;

/// <summary>
/// What PyTorch's `mlp_ppo_update_b128` and `mlp_actor_step_b1` measure (shared/peers/RESULTS.md): one PPO minibatch
/// update of CleanRL's CartPole agent (forward, loss, backward, global-norm clip, Adam) and one acting step
/// (forward, sample, log-prob, value) at batch 1.
/// </summary>
[MemoryDiagnoser]
public class PpoUpdateBenchmarks
{
    private const int Batch = 128;
    private CategoricalMlpActorCritic _model = null!;
    private Adam _adam = null!;
    private Parameter[] _parameters = null!;
    private float[] _observations = null!;
    private int[] _actions = null!;
    private float[] _oldLogProbs = null!;
    private float[] _advantages = null!;
    private float[] _oldValues = null!;
    private float[] _returns = null!;
    private float[] _newLogProbs = null!;
    private float[] _entropy = null!;
    private float[] _newValues = null!;
    private float[] _logProbGradients = null!;
    private float[] _entropyGradients = null!;
    private float[] _valueGradients = null!;
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
        _adam = new Adam(_model.NamedParameters, new AdamOptions { LearningRate = 2.5e-4, Epsilon = 1e-5 });
        _parameters = [.. _model.NamedParameters.Select(p => p.Parameter)];
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _observations = Fill(Batch * 4);
        _actions = [.. Enumerable.Range(0, Batch).Select(_ => random.Next(2))];
        _oldLogProbs = [.. Enumerable.Range(0, Batch).Select(_ => -0.69f)];
        _advantages = Fill(Batch);
        _oldValues = Fill(Batch);
        _returns = Fill(Batch);
        _newLogProbs = new float[Batch];
        _entropy = new float[Batch];
        _newValues = new float[Batch];
        _logProbGradients = new float[Batch];
        _entropyGradients = new float[Batch];
        _valueGradients = new float[Batch];
        _one = Fill(4);
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

    /// <summary>Forward, PPO loss, backward, clip to 0.5, Adam: one minibatch of 128.</summary>
    [Benchmark]
    public float MinibatchUpdateBatch128()
    {
        _model.Evaluate(_observations, _actions, Batch, _newLogProbs, _entropy, _newValues);
        PpoLoss.NormalizeAdvantages(_advantages, _advantages);
        PpoLoss.Compute(
            _newLogProbs, _oldLogProbs, _advantages, _entropy, _newValues, _oldValues, _returns,
            new PpoLossCoefficients(0.2f, 0.01f, 0.5f, ClipVloss: true), _logProbGradients, _entropyGradients, _valueGradients);
        Gradients.ZeroGrad(_parameters);
        _model.Backward(_logProbGradients, _entropyGradients, _valueGradients);
        var norm = Gradients.ClipGradNorm(_parameters, 0.5f);
        _adam.Step();
        return norm;
    }

    /// <summary>An actor's step at batch 1: both networks forward, sample an action, its log-prob, the value.</summary>
    [Benchmark]
    public int ActBatch1()
    {
        _model.Act(_one, 1, ActionSelection.Sample, _action, _logProb, _value);
        return _action[0];
    }
}

using BenchmarkDotNet.Attributes;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;

namespace Tempo.Benchmarks.Envs;

/// <summary>
/// Raw CartPole-v1 env steps with pre-drawn random actions and autoreset, one env and vectors of eight.
/// Every benchmark reports the time of one env step (OperationsPerInvoke), so steps/s = 1e9 / Mean[ns].
/// Peers (benchmarks/peers/RESULTS.md): Gymnasium 283k steps/s for one env, 165k steps/s for SyncVectorEnv(8).
/// </summary>
[MemoryDiagnoser]
public class CartPoleStepBenchmarks
{
    private const int EnvStepsPerInvoke = 8192;
    private const int NumEnvs = 8;
    private const int VectorStepsPerInvoke = EnvStepsPerInvoke / NumEnvs;

    // Enough pre-drawn actions that episodes do not repeat within an invocation; a power of two so a mask wraps the index.
    private const int ActionCount = 1 << 16;

    private readonly int[] _actions = new int[ActionCount];
    private readonly float[] _observation = new float[4];
    private int _cursor;
    private IEnv<float, int> _registryEnv = null!;
    private CartPole _bareEnv = null!;
    private SyncVectorEnv<float, int> _syncVector = null!;
    private ThreadedVectorEnv<float, int> _threadedVector = null!;
    private VectorStepBuffers<float> _syncBuffers = null!;
    private VectorStepBuffers<float> _threadedBuffers = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(0);
        for (var i = 0; i < _actions.Length; i++)
        {
            _actions[i] = random.Next(2);
        }

        var registry = EnvRegistry.CreateDefault();
        _registryEnv = registry.Make<float, int>("CartPole-v1");
        _registryEnv.Reset(_observation, seed: 1);
        _bareEnv = new CartPole();
        _bareEnv.Reset(_observation, seed: 1);

        _syncVector = new SyncVectorEnv<float, int>(MakeEnvs(registry));
        _syncBuffers = _syncVector.CreateBuffers();
        _syncVector.Reset(_syncBuffers, seed: 1);

        _threadedVector = new ThreadedVectorEnv<float, int>(MakeEnvs(registry));
        _threadedBuffers = _threadedVector.CreateBuffers();
        _threadedVector.Reset(_threadedBuffers, seed: 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registryEnv.Dispose();
        _bareEnv.Dispose();
        _syncVector.Dispose();
        _threadedVector.Dispose();
    }

    /// <summary>One env made by the registry (CartPole inside TimeLimit(500)), stepped through the interface.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EnvStepsPerInvoke)]
    public float SingleEnv_Registry() => StepSingle(_registryEnv);

    /// <summary>The bare CartPole class, no time limit.</summary>
    [Benchmark(OperationsPerInvoke = EnvStepsPerInvoke)]
    public float SingleEnv_Bare() => StepSingle(_bareEnv);

    /// <summary>Eight registry-made envs in a <see cref="SyncVectorEnv{TObservation, TAction}"/>; time per env step.</summary>
    [Benchmark(OperationsPerInvoke = EnvStepsPerInvoke)]
    public float SyncVector8() => StepVector(_syncVector, _syncBuffers);

    /// <summary>Eight registry-made envs in a <see cref="ThreadedVectorEnv{TObservation, TAction}"/> (default worker count); for reference only, CartPole is too fast to gain from threads.</summary>
    [Benchmark(OperationsPerInvoke = EnvStepsPerInvoke)]
    public float ThreadedVector8() => StepVector(_threadedVector, _threadedBuffers);

    private static IEnv<float, int>[] MakeEnvs(EnvRegistry registry) =>
        [.. Enumerable.Range(0, NumEnvs).Select(_ => registry.Make<float, int>("CartPole-v1"))];

    private float StepSingle(IEnv<float, int> env)
    {
        var observation = _observation.AsSpan();
        var actions = _actions.AsSpan();
        var cursor = _cursor;
        var total = 0f;
        for (var t = 0; t < EnvStepsPerInvoke; t++)
        {
            var result = env.Step(actions.Slice(cursor, 1), observation);
            cursor = (cursor + 1) & (ActionCount - 1);
            total += result.Reward;
            if (result.IsDone)
            {
                env.Reset(observation);
            }
        }

        _cursor = cursor;
        return total;
    }

    private float StepVector(IVectorEnv<float, int> vector, VectorStepBuffers<float> buffers)
    {
        var actions = _actions.AsSpan();
        var cursor = _cursor;
        var total = 0f;
        for (var t = 0; t < VectorStepsPerInvoke; t++)
        {
            vector.Step(actions.Slice(cursor, NumEnvs), buffers);
            cursor = (cursor + NumEnvs) & (ActionCount - 1);
            total += buffers.Rewards[0];
        }

        _cursor = cursor;
        return total;
    }
}

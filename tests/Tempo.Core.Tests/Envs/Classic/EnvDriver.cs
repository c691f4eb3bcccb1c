using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;
using Tempo.Core.Envs.Registry;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>Drives a registry-made classic env whatever its action type, with random actions from its action space.</summary>
internal sealed class EnvDriver : IDisposable
{
    private readonly IEnv<float, int>? _discrete;
    private readonly IEnv<float, float>? _continuous;
    private readonly int[] _discreteAction = new int[1];
    private readonly float[] _continuousAction = new float[1];

    private EnvDriver(IEnv env)
    {
        Env = env;
        _discrete = env as IEnv<float, int>;
        _continuous = env as IEnv<float, float>;
        Observation = new float[env.ObservationSpace.FlatSize];
    }

    /// <summary>The five classic-control ids.</summary>
    public static TheoryData<string> Ids => new() { "CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1" };

    public IEnv Env { get; }

    public float[] Observation { get; }

    public IPhysicalState Physics => (IPhysicalState)Env.Unwrapped();

    public bool IsDiscrete => _discrete is not null;

    public static EnvDriver Make(string id) => new(EnvRegistry.CreateDefault().Make(id));

    public void Reset(int? seed = null)
    {
        if (_discrete is not null)
        {
            _discrete.Reset(Observation, seed);
        }
        else
        {
            _continuous!.Reset(Observation, seed);
        }
    }

    /// <summary>Steps with an action sampled from the action space by <paramref name="random"/>.</summary>
    public StepResult StepRandom(Random random)
    {
        if (_discrete is not null)
        {
            _discrete.ActionSpace.Sample(random, _discreteAction);
            return _discrete.Step(_discreteAction, Observation);
        }

        _continuous!.ActionSpace.Sample(random, _continuousAction);
        return _continuous.Step(_continuousAction, Observation);
    }

    public double[] State()
    {
        var state = new double[Physics.StateLength];
        Physics.GetState(state);
        return state;
    }

    public void Dispose() => Env.Dispose();
}

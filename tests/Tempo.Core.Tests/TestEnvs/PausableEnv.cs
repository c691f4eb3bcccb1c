using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// A pausable env whose world is one number. Observation: [world value]. Reset sets the value to 0 (or to the seed);
/// each step adds 1 and returns reward 1. While paused the test may move the world (<see cref="WorldValue"/>), as a live
/// game would; Resume then observes the moved world. Calls are logged in order, and with a clock, the clock's
/// timestamp of each step is recorded.
/// </summary>
public sealed class PausableEnv(TimeProvider? clock = null, int actionCount = 3) : Env<float, int>(new BoxSpace<float>(-1e6f, 1e6f, 1), new DiscreteSpace(actionCount)), IPausable<float>
{
    public float WorldValue { get; set; }

    public List<string> Calls { get; } = [];

    public List<long> StepTimestamps { get; } = [];

    public bool CanPause => true;

    public bool IsPaused { get; private set; }

    public void Pause()
    {
        Calls.Add("Pause");
        IsPaused = true;
    }

    public void Resume(Span<float> observation)
    {
        Calls.Add("Resume");
        IsPaused = false;
        observation[0] = WorldValue;
    }

    protected override void ResetCore(Span<float> observation)
    {
        Calls.Add("Reset");
        WorldValue = 0;
        observation[0] = WorldValue;
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        if (IsPaused)
        {
            throw new InvalidOperationException("Step while paused.");
        }

        Calls.Add($"Step({action[0]})");
        StepTimestamps.Add(clock?.GetTimestamp() ?? 0);
        WorldValue += 1;
        observation[0] = WorldValue;
        return new StepResult(1f, false, false);
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>Holds every Step until the test releases it, and tells the test when a step has started and how many have finished.</summary>
internal sealed class GatedEnv(IEnv<float, int> inner) : EnvWrapper<float, int>(inner)
{
    private readonly SemaphoreSlim _proceed = new(0);
    private int _completed;
    private volatile bool _inStep;

    /// <summary>Released once at the start of every step, before it waits.</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>Steps that have finished.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Whether a step is running now.</summary>
    public bool InStep => _inStep;

    /// <summary>Lets <paramref name="steps"/> more steps through.</summary>
    public void Release(int steps) => _proceed.Release(steps);

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        _inStep = true;
        Entered.Release();
        if (!_proceed.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The test never released this step.");
        }

        var result = base.Step(action, observation);
        Interlocked.Increment(ref _completed);
        _inStep = false;
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _proceed.Dispose();
            Entered.Dispose();
        }

        base.Dispose(disposing);
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Vector.TestEnvs;

/// <summary>Records every thread that calls Reset or Step, and whether the env was disposed.</summary>
internal sealed class ThreadRecordingEnv(IEnv<float, int> inner) : EnvWrapper<float, int>(inner)
{
    private readonly List<Thread> _threads = [];

    public bool IsDisposed { get; private set; }

    public IReadOnlyList<Thread> Threads
    {
        get
        {
            lock (_threads)
            {
                return [.. _threads];
            }
        }
    }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        Record();
        Inner.Reset(observation, seed);
    }

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        Record();
        return Inner.Step(action, observation);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private void Record()
    {
        lock (_threads)
        {
            if (!_threads.Contains(Thread.CurrentThread))
            {
                _threads.Add(Thread.CurrentThread);
            }
        }
    }
}

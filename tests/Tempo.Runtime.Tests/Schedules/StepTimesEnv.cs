using System.Diagnostics;
using Tempo.Core.Envs;
using Tempo.Core.Wrappers;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Records the Stopwatch timestamp and thread of every Step; optionally throws on a chosen step.</summary>
/// <remarks>Written by the one thread that drives the env; read by the test after the run has joined that thread.</remarks>
internal sealed class StepTimesEnv(IEnv<float, int> inner, long? failOnStep = null) : EnvWrapper<float, int>(inner)
{
    private long _steps;

    public List<long> StepTimestamps { get; } = [];

    /// <summary>Steps taken so far; safe to read from any thread.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>The thread that last stepped the env.</summary>
    public Thread? SteppingThread { get; private set; }

    /// <summary>Runs on the stepping thread before each step, to observe that thread.</summary>
    public Action? OnStep { get; set; }

    public override StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        SteppingThread = Thread.CurrentThread;
        OnStep?.Invoke();
        StepTimestamps.Add(Stopwatch.GetTimestamp());
        if (Interlocked.Increment(ref _steps) == failOnStep)
        {
            throw new InvalidOperationException($"Scripted env failure on step {failOnStep}.");
        }

        return base.Step(action, observation);
    }
}

using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>A never-ending env that logs Reset, Step, Pause and Resume, and refuses to step while paused.</summary>
/// <remarks>
/// Observations are <c>[index, value]</c>: value 0 after Reset, the env's step count after each Step, and
/// <see cref="ResumeValue"/>(r) after the r-th Resume, so a test can tell which call produced an observation.
/// </remarks>
internal sealed class RecordingEnv : Env<float, int>, IPausable<float>
{
    private readonly CallLog _log;
    private int _steps;
    private int _resumes;

    public RecordingEnv(int index, CallLog log, bool canPause)
        : base(new BoxSpace<float>(-1e6f, 1e6f, 2), new DiscreteSpace(2))
    {
        Index = index;
        _log = log;
        CanPause = canPause;
    }

    public int Index { get; }

    public bool CanPause { get; }

    public bool IsPaused { get; private set; }

    public static float ResumeValue(int resume) => 1000 + resume;

    public void Pause()
    {
        _log.Add($"Pause({Index})");
        if (!CanPause || IsPaused)
        {
            throw new InvalidOperationException($"Env {Index}: Pause called when it cannot pause or is already paused.");
        }

        IsPaused = true;
    }

    public void Resume(Span<float> observation)
    {
        _log.Add($"Resume({Index})");
        if (!IsPaused)
        {
            throw new InvalidOperationException($"Env {Index}: Resume called when not paused.");
        }

        IsPaused = false;
        _resumes++;
        Write(observation, ResumeValue(_resumes));
    }

    protected override void ResetCore(Span<float> observation)
    {
        _log.Add($"Reset({Index})");
        Write(observation, 0);
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        _log.Add($"Step({Index})");
        if (IsPaused)
        {
            throw new InvalidOperationException($"Env {Index}: Step called while paused.");
        }

        _steps++;
        Write(observation, _steps);
        return new StepResult(1f, false, false);
    }

    private void Write(Span<float> observation, float value)
    {
        observation[0] = Index;
        observation[1] = value;
    }
}

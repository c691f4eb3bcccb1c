using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Wrappers.Progress;

/// <summary>A fake game whose position the test sets before each step; a step returns reward 0 unless <see cref="EndNext"/> says otherwise.</summary>
internal sealed class PositionEnv() : Env<float, int>(new BoxSpace<float>(-1e6f, 1e6f, 1), new DiscreteSpace(2)), IPositionSource, IPausable<float>
{
    public float X { get; set; }

    public float Y { get; set; }

    public bool ReachedGoal { get; set; }

    /// <summary>The next step terminates (a death or, with <see cref="ReachedGoal"/>, the finish).</summary>
    public bool EndNext { get; set; }

    public bool CanPause => true;

    public bool IsPaused { get; private set; }

    public void Pause() => IsPaused = true;

    public void Resume(Span<float> observation)
    {
        IsPaused = false;
        observation[0] = X;
    }

    protected override void ResetCore(Span<float> observation) => observation[0] = X;

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        observation[0] = X;
        var end = EndNext;
        EndNext = false;
        return new StepResult(0, end, false);
    }
}

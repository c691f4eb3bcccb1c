using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// A pausable, renderable env whose world is one byte-sized number. Observation: [world value] as a float. Reset sets
/// the value to 0, each step adds 1. Its 6×4 frame is grey at the world value everywhere, except pixel (0, 0), which
/// is black. While paused the test may move the world (<see cref="WorldValue"/>), as a live game would.
/// </summary>
public sealed class PausableCanvasEnv() : Env<float, int>(new BoxSpace<float>(0f, 255f, 1), new DiscreteSpace(2)), IPausable<float>, IRenderable
{
    public byte WorldValue { get; set; }

    public List<string> Calls { get; } = [];

    public bool CanPause => true;

    public bool IsPaused { get; private set; }

    public int FrameWidth => 6;

    public int FrameHeight => 4;

    public void Render(Span<byte> rgb)
    {
        rgb.Fill(WorldValue);
        rgb[..3].Clear();
    }

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
        Calls.Add($"Step({action[0]})");
        WorldValue++;
        observation[0] = WorldValue;
        return new StepResult(1f, false, false);
    }
}

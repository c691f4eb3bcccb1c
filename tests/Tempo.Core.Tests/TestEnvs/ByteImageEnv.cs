using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// A byte-image env: every pixel of frame t holds <c>FrameBase + t</c>, where <see cref="FrameBase"/> is drawn
/// from the seeded random source at reset (0..99). Two actions; reward 1; terminates after a fixed number of steps.
/// </summary>
public sealed class ByteImageEnv : Env<byte, int>
{
    private int _steps;

    public ByteImageEnv(int height = 4, int width = 3, int episodeLength = 20)
        : base(new BoxSpace<byte>(0, 255, height, width), new DiscreteSpace(2))
    {
        EpisodeLength = episodeLength;
    }

    public int EpisodeLength { get; }

    public int FrameBase { get; private set; }

    public bool IsDisposed { get; private set; }

    protected override void ResetCore(Span<byte> observation)
    {
        _steps = 0;
        FrameBase = Random.Next(100);
        observation.Fill((byte)FrameBase);
    }

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<byte> observation)
    {
        _steps++;
        observation.Fill((byte)(FrameBase + _steps));
        return new StepResult(1f, Terminated: _steps >= EpisodeLength, Truncated: false);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}

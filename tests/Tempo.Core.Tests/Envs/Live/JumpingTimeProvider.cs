namespace Tempo.Core.Tests.Envs.Live;

/// <summary>The system clock plus forward jumps made by the test, so a live env (whose ticks need a running clock) sees known delays.</summary>
internal sealed class JumpingTimeProvider : TimeProvider
{
    private long _offset;

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => System.GetTimestamp() + Interlocked.Read(ref _offset);

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offset, (long)(by.TotalSeconds * TimestampFrequency));
}

namespace Tempo.Redis.Status;

/// <summary>Env steps per second over a sliding window of a process's own (step count, time stamp) samples, so a count that grows in bursts (a learner takes a segment of 32 steps at once) reads as its average, not as 0 or 32 per interval.</summary>
/// <remarks>Time stamps are the process's monotonic clock; the status reader's clock never enters the rate.</remarks>
internal sealed class StepRate(TimeSpan window)
{
    private readonly Queue<(long Timestamp, long Steps)> _samples = new();

    /// <summary>Adds a sample and returns the rate over the oldest sample still inside the window (0 until there are two).</summary>
    /// <param name="timestamp">A <see cref="TimeProvider.GetTimestamp"/> value.</param>
    /// <param name="steps">The step count then.</param>
    /// <param name="time">The clock <paramref name="timestamp"/> came from.</param>
    public double Add(long timestamp, long steps, TimeProvider time)
    {
        // Keep one sample at or beyond the window's start, so the window is always covered whole.
        while (_samples.Count > 1 && time.GetElapsedTime(_samples.ElementAt(1).Timestamp, timestamp) >= window)
        {
            _samples.Dequeue();
        }

        _samples.Enqueue((timestamp, steps));
        var (oldestTime, oldestSteps) = _samples.Peek();
        var seconds = time.GetElapsedTime(oldestTime, timestamp).TotalSeconds;
        return seconds > 0 ? (steps - oldestSteps) / seconds : 0;
    }
}

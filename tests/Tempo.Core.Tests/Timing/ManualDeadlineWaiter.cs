using Tempo.Core.Tests.TestEnvs;
using Tempo.Core.Timing;

namespace Tempo.Core.Tests.Timing;

/// <summary>A waiter on a <see cref="ManualTimeProvider"/>: "waiting" moves the fake clock to the deadline; every wait is logged.</summary>
internal sealed class ManualDeadlineWaiter(ManualTimeProvider clock) : IDeadlineWaiter
{
    public TimeProvider TimeProvider => clock;

    public List<long> Deadlines { get; } = [];

    public bool WaitUntil(long deadlineTimestamp, CancellationToken cancellationToken = default)
    {
        Deadlines.Add(deadlineTimestamp);
        var now = clock.GetTimestamp();
        if (now < deadlineTimestamp)
        {
            clock.Advance(TimeSpan.FromTicks(deadlineTimestamp - now));
        }

        return true;
    }
}

using Tempo.Runtime.Threading;

namespace Tempo.Runtime.Tests.Threading;

public sealed class ThreadNicenessTests
{
    [Fact]
    public void Lower_RaisesTheCallingThreadsNiceValue_NeverLowersIt_AndNewThreadsInheritIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(ThreadNiceness.Current());
            return;
        }

        int? before = null, lowered = null, afterSmallerRequest = null, child = null;

        // On a fresh thread: a nice value raised without privilege cannot be put back, so the test runner's stays alone.
        RunOnNewThread(() =>
        {
            before = ThreadNiceness.Current();
            _ = ThreadNiceness.Lower(ThreadNiceness.Learner);
            lowered = ThreadNiceness.Current();
            _ = ThreadNiceness.Lower(ThreadNiceness.Learner - 5);
            afterSmallerRequest = ThreadNiceness.Current();
            RunOnNewThread(() => child = ThreadNiceness.Current());
        });

        Assert.NotNull(before);
        Assert.Equal(Math.Max(before!.Value, ThreadNiceness.Learner), lowered);
        Assert.Equal(lowered, afterSmallerRequest);

        // Linux copies a thread's nice value into the threads it starts: actors must be started before the learner lowers itself.
        Assert.Equal(lowered, child);
    }

    internal static void RunOnNewThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }
}

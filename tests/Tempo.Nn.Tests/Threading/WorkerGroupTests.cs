using Tempo.Nn.Threading;

namespace Tempo.Nn.Tests.Threading;

public sealed class WorkerGroupTests
{
    [Fact]
    public void Run_ThreeMembers_RunsThemAtTheSameTimeOnDistinctThreads()
    {
        using var group = new WorkerGroup(3, "test worker");
        using var allStarted = new CountdownEvent(3);
        var threads = new int[3];
        var sawOthers = new bool[3];

        // Every member waits for the others: only members running at the same time can release each other.
        group.Run(member =>
        {
            threads[member] = Environment.CurrentManagedThreadId;
            allStarted.Signal();
            sawOthers[member] = allStarted.Wait(TimeSpan.FromSeconds(10));
        });

        Assert.All(sawOthers, Assert.True);
        Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
        Assert.Equal(3, threads.Distinct().Count());
    }

    [Fact]
    public void Run_ManyRoundsWithFewerMembers_RunsEachTakingMemberExactlyOnce()
    {
        // Rounds where the caller takes a member's share itself leave stale wake-ups behind; none may rerun a share.
        using var group = new WorkerGroup(3, "test worker");
        var counts = new int[3];
        Action<int> body = member => Interlocked.Increment(ref counts[member]);

        for (var round = 0; round < 3000; round++)
        {
            group.Run(body, 1 + (round % 3));
        }

        Assert.Equal([3000, 2000, 1000], counts);
    }

    [Fact]
    public void Run_MembersThrow_RethrowsTheLowestMembersAfterAllFinishedAndStaysUsable()
    {
        using var group = new WorkerGroup(3, "test worker");
        var finished = 0;

        var error = Assert.Throws<InvalidOperationException>(() => group.Run(member =>
        {
            Interlocked.Increment(ref finished);
            if (member > 0)
            {
                throw new InvalidOperationException($"member {member} failed");
            }
        }));
        var ran = 0;
        group.Run(_ => Interlocked.Increment(ref ran));

        Assert.Equal("member 1 failed", error.Message);
        Assert.Equal(3, finished);
        Assert.Equal(3, ran);
    }

    [Fact]
    public async Task Run_FromASecondThreadWhileOneRuns_ThrowsAClearError()
    {
        using var group = new WorkerGroup(2, "test worker");
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => group.Run(member =>
        {
            if (member == 0)
            {
                inside.Set();
                release.Wait();
            }
        }));
        inside.Wait();

        var error = Assert.Throws<InvalidOperationException>(() => group.Run(_ => { }));
        release.Set();
        await first;

        Assert.Contains("test worker threads are already running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadMemberCountOrAfterDispose_ThrowsClearly()
    {
        var group = new WorkerGroup(2, "test worker");

        Assert.Throws<ArgumentOutOfRangeException>(() => group.Run(_ => { }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Run(_ => { }, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerGroup(0, "test worker"));
        group.Dispose();
        Assert.Throws<ObjectDisposedException>(() => group.Run(_ => { }));
    }
}

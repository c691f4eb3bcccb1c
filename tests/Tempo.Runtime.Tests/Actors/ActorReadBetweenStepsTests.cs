using Tempo.Algorithms.Experience;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>
/// Reading an actor's own state from another thread (what an asynchronous run's checkpoint does): never in the middle
/// of an env step, on the actor's thread while it collects, at once while it does not.
/// </summary>
public sealed class ActorReadBetweenStepsTests : IDisposable
{
    private const int Steps = 5;
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(10);

    private readonly GatedEnv _env = new(new ScriptedEnv(0, episodeLength: 100, truncates: false));
    private readonly SyncVectorEnv<float, int> _vector;
    private readonly Actor<float, int> _actor;

    public ActorReadBetweenStepsTests()
    {
        _vector = new SyncVectorEnv<float, int>([_env]);
        _actor = new Actor<float, int>(new ActorId(0), _vector, new ScriptedPolicy());
        _actor.Start(seed: 1);
    }

    public void Dispose() => _vector.Dispose();

    [Fact]
    public void ReadBetweenSteps_ActorIdle_RunsAtOnceOnTheCallingThread()
    {
        var thread = _actor.ReadBetweenSteps(() => Environment.CurrentManagedThreadId);

        Assert.Equal(Environment.CurrentManagedThreadId, thread);
    }

    [Fact]
    public async Task ReadBetweenSteps_ActorInsideAStep_RunsOnTheActorsThreadRightAfterThatStep()
    {
        var (collecting, actorThread) = StartCollecting();
        _env.Release(1);
        WaitForStepToStart(); // step 2 has started and is held

        var read = Task.Run(() => _actor.ReadBetweenSteps(() => (Thread: Environment.CurrentManagedThreadId, _env.InStep, _env.Completed)));

        // The read must wait while the step is held (a read inside a step would see half-changed state). On a busy
        // machine the task may not even have made its request yet, and releasing the step before it has would let the
        // actor into step 3 (held until the end) with the read still to come: wait for the request first.
        Assert.True(SpinWait.SpinUntil(() => _actor.IsReadWaiting || read.IsCompleted, _patience), "the read was never requested");
        Assert.False(await Finishes(read, TimeSpan.FromMilliseconds(200)), "the read ran while the actor was inside a step");
        _env.Release(1);
        Assert.Equal((await actorThread, false, 2), await read.WaitAsync(_patience));

        _env.Release(Steps);
        await collecting.WaitAsync(_patience);
        Assert.Equal(Steps, _env.Completed);
    }

    [Fact]
    public async Task ReadBetweenSteps_ReadThrows_TheCallerGetsTheErrorAndTheActorCarriesOn()
    {
        var (collecting, _) = StartCollecting();

        var read = Task.Run(() => _actor.ReadBetweenSteps<int>(() => throw new InvalidOperationException("scripted read failure")));
        Assert.False(await Finishes(read, TimeSpan.FromMilliseconds(100)));
        _env.Release(Steps);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => read.WaitAsync(_patience));
        Assert.Equal("scripted read failure", error.Message);
        await collecting.WaitAsync(_patience);
        Assert.Equal(Steps, _env.Completed);
    }

    [Fact]
    public async Task ReadBetweenSteps_CancelledWhileWaiting_ThrowsAndTheActorNeverRunsIt()
    {
        var (collecting, _) = StartCollecting();
        using var cancellation = new CancellationTokenSource();
        var ran = false;

        var read = Task.Run(() => _actor.ReadBetweenSteps(() => ran = true, cancellation.Token));
        Assert.False(await Finishes(read, TimeSpan.FromMilliseconds(100)));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(_patience));
        _env.Release(Steps);
        await collecting.WaitAsync(_patience);
        Assert.False(ran);

        // A withdrawn request does not block the next one.
        Assert.Equal(42, _actor.ReadBetweenSteps(() => 42));
    }

    [Fact]
    public void ReadBetweenSteps_FromTheActorsOwnThreadWhileItCollects_RunsAtOnce()
    {
        // An episode observer runs on the actor's thread inside Collect; waiting for the actor there would wait forever.
        using var vector = new SyncVectorEnv<float, int>([new RecordEpisodeStatistics<float, int>(new ScriptedEnv(0, episodeLength: 2, truncates: false))]);
        var observer = new ReadingObserver();
        var actor = new Actor<float, int>(new ActorId(1), vector, new ScriptedPolicy(), observer);
        observer.Actor = actor;
        actor.Start(seed: 1);

        actor.Collect(new Segment<float, int>(actor.LayoutFor(4)));

        Assert.Equal([Environment.CurrentManagedThreadId, Environment.CurrentManagedThreadId], observer.ReadOn);
    }

    /// <summary>Collects one segment on another thread and returns once its first step has started (and is held).</summary>
    private (Task Collecting, Task<int> ActorThread) StartCollecting()
    {
        var actorThread = new TaskCompletionSource<int>();
        var collecting = Task.Factory.StartNew(
            () =>
            {
                actorThread.SetResult(Environment.CurrentManagedThreadId);
                _actor.Collect(new Segment<float, int>(_actor.LayoutFor(Steps)));
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        WaitForStepToStart();
        return (collecting, actorThread.Task);
    }

    private static async Task<bool> Finishes(Task task, TimeSpan within) => await Task.WhenAny(task, Task.Delay(within)) == task;

    private void WaitForStepToStart() => Assert.True(_env.Entered.Wait(_patience), "the actor did not start a step");

    private sealed class ReadingObserver : IEpisodeObserver
    {
        public Actor<float, int>? Actor { get; set; }

        public List<int> ReadOn { get; } = [];

        public void OnEpisodeEnded(in EpisodeEnded episode) => ReadOn.Add(Actor!.ReadBetweenSteps(() => Environment.CurrentManagedThreadId));
    }
}

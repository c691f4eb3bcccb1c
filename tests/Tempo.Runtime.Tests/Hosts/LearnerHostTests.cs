using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Hosts;
using Tempo.Runtime.Schedules;
using Tempo.Runtime.Tests.Schedules;
using Tempo.Runtime.Transport;

namespace Tempo.Runtime.Tests.Hosts;

/// <summary>The learner host knows actors only from their segments: it counts steps and reports episodes from them.</summary>
public sealed class LearnerHostTests
{
    private static readonly SegmentLayout _layout = new(Steps: 5, Envs: 2, ObservationSize: 4, ActionSize: 1);

    [Fact]
    public void Run_SegmentsDroppedAndDuplicated_GlobalStepIsTheSumOfEachActorsLargestCount()
    {
        var transport = new InProcessTransport<float, int>(_layout, 3, new SegmentChannelOptions { Capacity = 16 }, 16);

        // Actor 0's segment at 30 steps was lost on the way and its segment at 40 arrives twice; actor 1 sent one at 10.
        Write(transport, actor: 0, steps: 10);
        Write(transport, actor: 0, steps: 20);
        Write(transport, actor: 1, steps: 10);
        Write(transport, actor: 0, steps: 40);
        Write(transport, actor: 0, steps: 40);
        transport.Writer.Complete();
        var host = Host(transport, new DelegateCallbacks());

        host.Run();

        Assert.Equal(50, host.GlobalStep);
        Assert.Equal(5, host.Statistics.SegmentsRead);
        Assert.Equal(0, transport.Pool.Statistics.Outstanding);
    }

    [Fact]
    public void Run_SegmentsWithEpisodes_DeliversThemOnTheLearnersThreadDatedByTheGlobalStep()
    {
        var transport = new InProcessTransport<float, int>(_layout, 3, new SegmentChannelOptions { Capacity = 16 }, 16);
        Write(transport, actor: 2, steps: 10, new SegmentEpisode(1, new EpisodeStatistics(12, 6, 0.5)));
        Write(transport, actor: 3, steps: 10, new SegmentEpisode(0, new EpisodeStatistics(7, 3, 0.25)), new SegmentEpisode(1, new EpisodeStatistics(8, 4, 0.25)));
        transport.Writer.Complete();
        var episodes = new List<(EpisodeEnded Episode, int Thread)>();
        var host = Host(transport, new EpisodeRecorder(episodes));

        host.Run();

        var thread = Environment.CurrentManagedThreadId;
        Assert.Equal(
            [
                (new EpisodeEnded(new ActorId(2), 1, 10, new EpisodeStatistics(12, 6, 0.5)), thread),
                (new EpisodeEnded(new ActorId(3), 0, 20, new EpisodeStatistics(7, 3, 0.25)), thread),
                (new EpisodeEnded(new ActorId(3), 1, 20, new EpisodeStatistics(8, 4, 0.25)), thread),
            ],
            episodes);
    }

    [Fact]
    public void Run_BudgetReached_StopsAndPublishesAfterEveryUpdate()
    {
        var transport = new InProcessTransport<float, int>(_layout, 3, new SegmentChannelOptions { Capacity = 16 }, 16);
        for (var k = 1; k <= 6; k++)
        {
            Write(transport, actor: 0, steps: 10 * k);
        }

        var host = Host(transport, new DelegateCallbacks(), new LearnerHostOptions { TotalSteps = 30, LowerPriority = false });

        host.Run();

        Assert.Equal(30, host.GlobalStep);
        Assert.Equal(3, host.Statistics.Updates);
        Assert.Equal(new PolicyVersion(3), transport.Policies.LatestVersion);
        Assert.Equal(4, transport.Policies.Statistics.Published);
    }

    [Fact]
    public void Run_UpdateThatLeftTheWeightsUnchanged_DoesNotRepublishTheSameVersion()
    {
        var transport = new InProcessTransport<float, int>(_layout, 3, new SegmentChannelOptions { Capacity = 16 }, 16);
        for (var k = 1; k <= 6; k++)
        {
            Write(transport, actor: 0, steps: 10 * k);
        }

        // A replay learner that takes a gradient step every second update, as DQN's train-frequency can make it.
        var learner = new ScriptedLearner(3) { ChangesEvery = 2 };
        var host = new LearnerHost<float, int>(learner, transport.Pool, transport.Reader, transport.Policies, new DelegateCallbacks(), new LearnerHostOptions { TotalSteps = 60, LowerPriority = false });

        host.Run();

        Assert.Equal(6, host.Statistics.Updates);
        Assert.Equal(new PolicyVersion(3), transport.Policies.LatestVersion);
        Assert.Equal(1 + 3, transport.Policies.Statistics.Published);
    }

    private static LearnerHost<float, int> Host(InProcessTransport<float, int> transport, ITrainingCallbacks callbacks, LearnerHostOptions? options = null) =>
        new(new ScriptedLearner(3), transport.Pool, transport.Reader, transport.Policies, callbacks, options ?? new LearnerHostOptions { LowerPriority = false });

    private static void Write(InProcessTransport<float, int> transport, int actor, long steps, params SegmentEpisode[] episodes)
    {
        var segment = transport.Pool.Rent();
        segment.Actor = new ActorId(actor);
        segment.ActorSteps = steps;
        segment.Episodes.AddRange(episodes);
        Assert.True(transport.Writer.TryWrite(segment));
    }

    private sealed class EpisodeRecorder(List<(EpisodeEnded, int)> episodes) : ITrainingCallbacks
    {
        public void OnEpisodeEnded(in EpisodeEnded episode) => episodes.Add((episode, Environment.CurrentManagedThreadId));
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;

namespace Tempo.Runtime.Tests.Actors;

/// <summary>
/// What an actor writes into a segment, checked against a hand-written timeline. Env 0 terminates every 3
/// steps, env 1 is truncated every 2; both autoreset in the same step.
/// </summary>
public sealed class ActorTests : IDisposable
{
    private const int Steps = 5;

    // Observation b-values the actions were chosen from, per step, for env 0 and env 1 (a = index + 1).
    private static readonly float[] _actedOnEnv0 = [0, 1, 2, 100, 101];
    private static readonly float[] _actedOnEnv1 = [0, 1, 100, 101, 200];

    private readonly SyncVectorEnv<float, int> _vector;
    private readonly ScriptedPolicy _policy = new() { Version = new PolicyVersion(7) };
    private readonly RecordingEpisodeObserver _observer = new();
    private readonly Actor<float, int> _actor;

    public ActorTests()
    {
        _vector = new SyncVectorEnv<float, int>(
        [
            new RecordEpisodeStatistics<float, int>(new ScriptedEnv(0, episodeLength: 3, truncates: false)),
            new RecordEpisodeStatistics<float, int>(new ScriptedEnv(1, episodeLength: 2, truncates: true)),
        ]);
        _actor = new Actor<float, int>(new ActorId(3), _vector, _policy, _observer);
    }

    public void Dispose() => _vector.Dispose();

    [Fact]
    public void Collect_Observations_AreTheOnesTheActionsWereChosenFrom()
    {
        var segment = StartAndCollect();

        for (var t = 0; t < Steps; t++)
        {
            Assert.Equal([1f, _actedOnEnv0[t]], segment.ObservationAt(t, 0).ToArray());
            Assert.Equal([2f, _actedOnEnv1[t]], segment.ObservationAt(t, 1).ToArray());
            Assert.Equal(_policy.ActedOn[t], segment.Observations.Slice(t * 4, 4).ToArray());
        }
    }

    [Fact]
    public void Collect_ActionsLogProbsAndValues_AreThePolicysOutputs()
    {
        var segment = StartAndCollect();

        for (var t = 0; t < Steps; t++)
        {
            for (var env = 0; env < 2; env++)
            {
                var observation = segment.ObservationAt(t, env);
                var row = (t * 2) + env;
                Assert.Equal(ScriptedPolicy.ActionFor(observation[1]), segment.Actions[row]);
                Assert.Equal(ScriptedPolicy.LogProbFor(observation[1]), segment.BehaviourLogProbs[row]);
                Assert.Equal(ScriptedPolicy.ValueFor(observation[0], observation[1]), segment.BehaviourValues[row]);
            }
        }
    }

    [Fact]
    public void Collect_RewardsAndFlags_FollowTheEnvs()
    {
        var segment = StartAndCollect();

        // Time-major [T, N]: (env 0, env 1) per step.
        Assert.Equal([1f, 11f, 2f, 12f, 3f, 11f, 1f, 12f, 2f, 11f], segment.Rewards.ToArray());
        Assert.Equal([false, false, false, false, true, false, false, false, false, false], segment.Terminated.ToArray());
        Assert.Equal([false, false, false, true, false, false, false, true, false, false], segment.Truncated.ToArray());
    }

    [Fact]
    public void Collect_Stamps_ActorSequenceAndBehaviourVersion()
    {
        var segment = StartAndCollect();

        Assert.Equal(new ActorId(3), segment.Actor);
        Assert.Equal(0, segment.Sequence);
        Assert.Equal(new PolicyVersion(7), segment.BehaviourVersion);

        _policy.Version = new PolicyVersion(8);
        _actor.Collect(segment);

        Assert.Equal(1, segment.Sequence);
        Assert.Equal(new PolicyVersion(8), segment.BehaviourVersion);
        Assert.Equal(2 * Steps * 2, _actor.Steps);
    }

    [Fact]
    public void Collect_BootstrapObservations_AreTheObservationsAfterTheLastStep()
    {
        var segment = StartAndCollect();

        Assert.Equal([1f, 102f, 2f, 201f], segment.BootstrapObservations.ToArray());

        // The next segment starts exactly there.
        var bootstrap = segment.BootstrapObservations.ToArray();
        _actor.Collect(segment);
        Assert.Equal(bootstrap, segment.Observations[..4].ToArray());
    }

    [Fact]
    public void Collect_BootstrapAfterAnEpisodeEndsOnTheLastStep_IsTheResetObservation()
    {
        _actor.Start(seed: 0);
        var segment = new Segment<float, int>(_actor.LayoutFor(2));

        _actor.Collect(segment);

        // Env 1 is truncated on step 2 and autoreset: the bootstrap is its next episode's first observation.
        Assert.Equal([2f, 100f], segment.BootstrapObservations[2..].ToArray());
        Assert.Equal([2f, 2f], segment.FinalObservations.Slice(((1 * 2) + 1) * 2, 2).ToArray());
    }

    [Fact]
    public void Collect_TruncatedSteps_KeepTheirFinalObservation_TerminatedStepsDoNot()
    {
        var segment = StartAndCollect();

        float[] expected = new float[Steps * 2 * 2];
        // Env 1 truncated at t = 1 (cut at [2, 2]) and t = 3 (cut at [2, 102]).
        expected[(((1 * 2) + 1) * 2) + 0] = 2f;
        expected[(((1 * 2) + 1) * 2) + 1] = 2f;
        expected[(((3 * 2) + 1) * 2) + 0] = 2f;
        expected[(((3 * 2) + 1) * 2) + 1] = 102f;

        // Env 0's termination at t = 2 leaves its slot empty: a terminal state is never bootstrapped.
        Assert.Equal(expected, segment.FinalObservations.ToArray());
    }

    [Fact]
    public void Collect_FinishedEpisodes_AreReportedWithTheActorsStepCount()
    {
        var segment = StartAndCollect();

        Assert.Equal(
            [(1, 4L, 23.0, 2), (0, 6L, 6.0, 3), (1, 8L, 23.0, 2)],
            _observer.Episodes.Select(e => (e.EnvIndex, e.Step, e.Statistics.Return, e.Statistics.Length)));
        Assert.All(_observer.Episodes, e => Assert.Equal(new ActorId(3), e.Actor));
        Assert.Equal(_observer.Episodes.Select(e => new SegmentEpisode(e.EnvIndex, e.Statistics)), segment.Episodes);
        Assert.Equal(Steps * 2, _actor.Steps);
    }

    [Fact]
    public void Collect_ReusedSegment_HoldsOnlyItsOwnEpisodes()
    {
        var segment = StartAndCollect();
        _observer.Episodes.Clear();

        _actor.Collect(segment);

        // Second segment: env 0 ends at t = 0 and t = 3, env 1 at t = 0, 2 and 4.
        Assert.Equal(5, segment.Episodes.Count);
        Assert.Equal([12L, 12L, 16L, 18L, 20L], _observer.Episodes.Select(e => e.Step));
        Assert.Equal([true, false, false, true, false], Enumerable.Range(0, Steps).Select(t => segment.Terminated[t * 2]));
    }

    [Fact]
    public void Collect_BeforeStart_Throws()
    {
        var segment = new Segment<float, int>(_actor.LayoutFor(Steps));

        var error = Assert.Throws<InvalidOperationException>(() => _actor.Collect(segment));
        Assert.Contains("Start", error.Message);
    }

    [Fact]
    public void Collect_SegmentOfAnotherLayout_ThrowsNamingBoth()
    {
        _actor.Start(seed: 0);
        var segment = new Segment<float, int>(new SegmentLayout(Steps, Envs: 3, ObservationSize: 2, ActionSize: 1));

        var error = Assert.Throws<ArgumentException>(() => _actor.Collect(segment));
        Assert.Contains("Envs = 3", error.Message);
        Assert.Contains("Envs = 2", error.Message);
    }

    [Fact]
    public void LayoutFor_DescribesTheVector()
    {
        Assert.Equal(new SegmentLayout(Steps, 2, 2, 1), _actor.LayoutFor(Steps));
        Assert.Equal(2, _actor.NumEnvs);
        Assert.False(_actor.CanPause);
    }

    private Segment<float, int> StartAndCollect()
    {
        _actor.Start(seed: 0);
        var segment = new Segment<float, int>(_actor.LayoutFor(Steps));
        _actor.Collect(segment);
        return segment;
    }
}

using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Tests.Ppo;

namespace Tempo.Algorithms.Tests.Experience;

public sealed class RolloutBatchTests
{
    // Segment s, step t, env i, element c are encoded in every value, so a misplaced copy shows which one it was.
    private static float Encode(int s, int t, int i, int c = 0) => (1000 * s) + (100 * t) + (10 * i) + c;

    [Fact]
    public void Gather_TwoSegments_LaysThemSideBySideAlongTheEnvAxis()
    {
        var first = Filled(0, envs: 2);
        var second = Filled(1, envs: 1);
        var batch = new RolloutBatch<float, int>(observationSize: 2, actionSize: 1);

        batch.Gather([first, second]);

        Assert.Equal(2, batch.Steps);
        Assert.Equal(3, batch.Envs);
        Assert.Equal(6, batch.Transitions);

        // Column = env of the first segment (0, 1), then the second segment's env 0 (column 2).
        (int Segment, int Env)[] columns = [(0, 0), (0, 1), (1, 0)];
        for (var t = 0; t < 2; t++)
        {
            for (var column = 0; column < 3; column++)
            {
                var (s, i) = columns[column];
                var j = (t * 3) + column;
                Assert.Equal([Encode(s, t, i, 0), Encode(s, t, i, 1)], batch.Observations.Slice(j * 2, 2).ToArray());
                Assert.Equal((int)Encode(s, t, i), batch.Actions[j]);
                Assert.Equal(Encode(s, t, i) + 0.5f, batch.Rewards[j]);
                Assert.Equal(-Encode(s, t, i), batch.Values[j]);
                Assert.Equal(-Encode(s, t, i) / 10_000f, batch.LogProbs[j]);
                Assert.Equal(IsTerminated(s, t, i), batch.Terminated[j]);
                Assert.Equal(IsTruncated(s, t, i), batch.Truncated[j]);
            }
        }

        Assert.Equal([Encode(0, 9, 0), 1f, Encode(0, 9, 1), 1f, Encode(1, 9, 0), 1f], batch.BootstrapObservations.ToArray());
        Assert.Equal([0, 1, 2, 3, 4, 5], batch.Indices);
    }

    [Fact]
    public void EstimateTruncationValues_UsesTheFinalObservationsOfTruncatedStepsOnly()
    {
        var first = Filled(0, envs: 2);
        var second = Filled(1, envs: 1);
        var batch = new RolloutBatch<float, int>(observationSize: 2, actionSize: 1);
        batch.Gather([first, second]);

        // The fake's value is the observation's second element, which is what Filled wrote there.
        batch.EstimateTruncationValues(new FakeActorCritic());

        // Truncated: segment 0 (t = 1, env 0) → column 0 at t = 1; segment 1 (t = 0, env 0) → column 2 at t = 0.
        // Segment 0's (t = 0, env 1) is terminated as well as truncated: no bootstrap, so no value.
        Assert.Equal([0f, 0f, FinalValue(1, 0, 0), FinalValue(0, 1, 0), 0f, 0f], batch.TruncationValues.ToArray());
    }

    [Fact]
    public void Gather_ASmallerBatchAfterALargerOne_ExposesOnlyTheNewTransitions()
    {
        var batch = new RolloutBatch<float, int>(observationSize: 2, actionSize: 1);
        batch.Gather([Filled(0, envs: 2), Filled(1, envs: 1)]);

        batch.Gather([Filled(1, envs: 1)]);

        Assert.Equal(1, batch.Envs);
        Assert.Equal(2, batch.Transitions);
        Assert.Equal([Encode(1, 0, 0, 0), Encode(1, 0, 0, 1), Encode(1, 1, 0, 0), Encode(1, 1, 0, 1)], batch.Observations.ToArray());
        Assert.Equal([0, 1], batch.Indices);
    }

    [Fact]
    public void Gather_SegmentWithAnotherActionSize_ThrowsNamingTheSegment()
    {
        var batch = new RolloutBatch<float, int>(observationSize: 2, actionSize: 1);
        var segment = new Segment<float, int>(new SegmentLayout(2, 1, 2, ActionSize: 2)) { Actor = new ActorId(4) };

        var error = Assert.Throws<ArgumentException>(() => batch.Gather([segment]));

        Assert.Contains("actor-4", error.Message);
        Assert.Contains("actions of 1", error.Message);
    }

    private static bool IsTerminated(int s, int t, int i) => s == 0 && t == 0 && i == 1;

    private static bool IsTruncated(int s, int t, int i) => (s == 0 && t == 1 && i == 0) || (s == 0 && t == 0 && i == 1) || (s == 1 && t == 0 && i == 0);

    private static float FinalValue(int s, int t, int i) => 7 + Encode(s, t, i);

    /// <summary>A 2-step segment whose every value encodes (segment, step, env); final observations are written for every step.</summary>
    private static Segment<float, int> Filled(int s, int envs)
    {
        var segment = new Segment<float, int>(new SegmentLayout(2, envs, 2, 1)) { Actor = new ActorId(s) };
        for (var t = 0; t < 2; t++)
        {
            for (var i = 0; i < envs; i++)
            {
                var k = (t * envs) + i;
                segment.Observations[2 * k] = Encode(s, t, i, 0);
                segment.Observations[(2 * k) + 1] = Encode(s, t, i, 1);
                segment.FinalObservations[2 * k] = Encode(s, t, i);
                segment.FinalObservations[(2 * k) + 1] = FinalValue(s, t, i);
                segment.Actions[k] = (int)Encode(s, t, i);
                segment.Rewards[k] = Encode(s, t, i) + 0.5f;
                segment.BehaviourValues[k] = -Encode(s, t, i);
                segment.BehaviourLogProbs[k] = -Encode(s, t, i) / 10_000f;
                segment.Terminated[k] = IsTerminated(s, t, i);
                segment.Truncated[k] = IsTruncated(s, t, i);
            }
        }

        for (var i = 0; i < envs; i++)
        {
            segment.BootstrapObservations[2 * i] = Encode(s, 9, i);
            segment.BootstrapObservations[(2 * i) + 1] = 1f;
        }

        return segment;
    }
}

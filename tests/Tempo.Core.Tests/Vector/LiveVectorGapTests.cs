using Tempo.Core.Envs;
using Tempo.Core.Envs.Live;
using Tempo.Core.Tests.Timing;
using Tempo.Core.Tests.Vector.TestEnvs;
using Tempo.Core.Timing;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;

namespace Tempo.Core.Tests.Vector;

/// <summary>Four live worlds (pendulums at 50 Hz) in one vector: splitting the step keeps each world's action gap at its period; stepping in turn does not.</summary>
[Collection(WallClockTests.Name)]
public sealed class LiveVectorGapTests
{
    private const int NumEnvs = 4;
    private const int Rounds = 40;
    private static TimeSpan Period => TimeSpan.FromMilliseconds(20);

    [Fact]
    public void Step_FourLiveEnvs_SplitKeepsTheGapAtThePeriod_InTurnMultipliesIt()
    {
        var split = MedianGaps(splitSteps: true);
        var inTurn = MedianGaps(splitSteps: false);

        // Worlds are phased in reverse order, a quarter period apart (see MedianGaps). Split: a round ends when the
        // last world ticks, a period after the first world of the previous round did, so every gap is one period plus
        // jitter; half a period allows for a loaded machine. In turn: each world waits for its own next tick after the
        // previous world's, 3/4 of a period later, so a round takes 3 periods. Each phase has a quarter period (5 ms)
        // of margin, against the tick thread waking late after Resume and against a late tick restarting its
        // schedule; a loaded machine can spend one margin and make a round 2 periods, and losing a second one is a
        // second independent 5 ms delay. So in turn must reach 2 periods, less a quarter period of tick jitter.
        Assert.True(split.P50 <= Period * 1.5, $"split: {split}");
        Assert.True(inTurn.P50 >= Period * 1.75, $"in turn: {inTurn}");
        Assert.True(split.P50 < inTurn.P50, $"split {split}; in turn {inTurn}");
    }

    private static DurationSummary MedianGaps(bool splitSteps)
    {
        var worlds = new LivePendulum[NumEnvs];
        var gaps = new RecordActionGaps<float, float>[NumEnvs];
        var envs = new IEnv<float, float>[NumEnvs];
        for (var i = 0; i < NumEnvs; i++)
        {
            worlds[i] = new LivePendulum(new LivePendulumOptions { Ticks = new LiveTickOptions { TickRateHertz = 1 / Period.TotalSeconds, HoldTime = TimeSpan.MaxValue } });
            gaps[i] = new RecordActionGaps<float, float>(worlds[i]);
            var limited = new TimeLimit<float, float>(gaps[i], 100_000);
            envs[i] = splitSteps ? limited : new SequentialOnly<float, float>(limited);
        }

        using var vector = new SyncVectorEnv<float, float>(envs);
        Assert.Equal(splitSteps, vector.SplitsSteps);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);

        // Restart the worlds' clocks a quarter period apart in reverse order: world 3 first, world 0 last. (A clock
        // paused past its pending deadline restarts its schedule at Resume.) The instants are absolute, so one late
        // Resume or an overslept wait does not push every later world's phase.
        var scratch = new float[3];
        vector.Pause();
        Thread.Sleep(Period * 3);
        var waiter = new PreciseDeadlineWaiter();
        var start = waiter.TimeProvider.GetTimestamp();
        var quarter = (long)(Period.TotalSeconds / 4 * waiter.TimeProvider.TimestampFrequency);
        for (var i = NumEnvs - 1; i >= 0; i--)
        {
            waiter.WaitUntil(start + (quarter * (NumEnvs - 1 - i)));
            ((IPausable<float>)envs[i]).Resume(scratch);
        }

        // Pendulum worlds never end, so no world restarts its clock (which would change the phases).
        var actions = new float[NumEnvs];
        for (var t = 0; t < Rounds; t++)
        {
            vector.Step(actions, buffers);
        }

        return gaps.Select(g => g.ActionGaps.Run).OrderBy(s => s.P50).ElementAt(NumEnvs / 2);
    }
}

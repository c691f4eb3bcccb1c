using Tempo.Core.Envs.Checking;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Core.Vector;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Pixel;

public sealed class CatchFeaturesTests
{
    private static readonly CatchOptions _boardSized = new() { FrameHeight = 10, FrameWidth = 5, PositionFeatures = true };

    [Fact]
    public void ObservationSpace_IsADictOfTheFrameAndThreeScaledPositions()
    {
        using var env = new Catch(_boardSized);

        Assert.Equal("Dict('features': Box(0, 1, (3,), float32), 'frames': Box(0, 255, (1, 10, 5), uint8))", env.ObservationSpace.ToString());
        Assert.Equal(12 + 50 + 2, env.ObservationSpace.FlatSize); // three floats, the frame, padding to a multiple of 4
    }

    [Fact]
    public void Observations_FramesEqualPlainCatchAndFeaturesAreTheScaledCells()
    {
        using var plain = new Catch(_boardSized with { PositionFeatures = false });
        using var env = new Catch(_boardSized);
        var space = (DictSpace)env.ObservationSpace;
        var frame = new byte[50];
        var observation = Enumerable.Repeat((byte)0xCD, space.FlatSize).ToArray();

        plain.Reset(frame, seed: 4);
        env.Reset(observation, seed: 4);
        var done = false;
        for (var step = 0; !done; step++)
        {
            var action = step % 3;
            var expected = plain.Step([action], frame);
            Assert.Equal(expected, env.Step([action], observation));
            Assert.True(space.Contains(observation));
            Assert.Equal(frame, space["frames"].Get<byte>(observation).ToArray());
            Assert.Equal([env.BallColumn / 4f, env.BallRow / 9f, env.PaddleColumn / 4f], space["features"].Get<float>(observation).ToArray());
            done = expected.IsDone;
        }
    }

    [Fact]
    public void Registry_MakesCatchFeaturesV0_AndEnvCheckerPassesIt()
    {
        using var env = EnvRegistry.CreateDefault().Make<byte, int>("CatchFeatures-v0", new CatchOptions { FrameHeight = 36, FrameWidth = 36 });

        var report = EnvChecker.Check(env, seed: 3);

        Assert.True(report.IsValid, report.ToString());
        Assert.IsType<DictSpace>(env.ObservationSpace);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void SyncVectorEnv_CarriesDictObservationsUnchanged()
    {
        using var vector = new SyncVectorEnv<byte, int>([new Catch(_boardSized), new Catch(_boardSized)]);
        using var single = new Catch(_boardSized);
        var buffers = vector.CreateBuffers();
        var expected = new byte[single.ObservationSpace.FlatSize];

        vector.Reset(buffers, seed: 5);
        single.Reset(expected, seed: 5);

        Assert.Equal(expected, buffers.Observations[..expected.Length].ToArray());
        vector.Step([0, 2], buffers);
        single.Step([0], expected);
        Assert.Equal(expected, buffers.Observations[..expected.Length].ToArray());
        Assert.True(vector.SingleObservationSpace.Contains(buffers.Observations[expected.Length..]));
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        using var env = new Catch(_boardSized with { FrameHeight = 36, FrameWidth = 36 });
        var observation = new byte[env.ObservationSpace.FlatSize];
        void Play()
        {
            env.Reset(observation, seed: 1);
            while (!env.Step([1], observation).IsDone)
            {
            }
        }

        Assert.Equal(0, Allocations.OnThisThread(Play, warmUp: 1, repetitions: 10));
    }
}

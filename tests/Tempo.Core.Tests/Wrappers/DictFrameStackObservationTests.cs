using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Spaces;
using Tempo.Core.Wrappers;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Wrappers;

public sealed class DictFrameStackObservationTests
{
    private static readonly CatchOptions _features = new() { FrameHeight = 10, FrameWidth = 5, PositionFeatures = true };

    [Fact]
    public void ObservationSpace_StacksThePartAlongANewLeadingAxis_OtherPartsUnchanged()
    {
        using var env = new DictFrameStackObservation<int>(new Catch(_features), Catch.FramesPart, 4);

        Assert.Equal("Dict('features': Box(0, 1, (3,), float32), 'frames': Box(0, 255, (4, 1, 10, 5), uint8))", env.ObservationSpace.ToString());
        Assert.Equal(4, env.StackSize);
        Assert.Equal(Catch.FramesPart, env.PartName);
    }

    [Fact]
    public void ResetAndSteps_MatchFrameStackingThePlainFramesAndCurrentFeatures()
    {
        // Reference: the existing FrameStackObservation on plain Catch (same seed, same actions).
        using var reference = new FrameStackObservation<byte, int>(new Catch(_features with { PositionFeatures = false }), 3);
        using var env = new DictFrameStackObservation<int>(new Catch(_features), Catch.FramesPart, 3);
        var inner = (Catch)env.Inner;
        var space = (DictSpace)env.ObservationSpace;
        var expected = new byte[reference.ObservationSpace.FlatSize];
        var observation = Enumerable.Repeat((byte)0xEE, space.FlatSize).ToArray();

        reference.Reset(expected, seed: 6);
        env.Reset(observation, seed: 6);
        var done = false;
        for (var step = 0; ; step++)
        {
            Assert.True(space.Contains(observation));
            Assert.Equal(expected, space["frames"].Get<byte>(observation).ToArray());
            Assert.Equal([inner.BallColumn / 4f, inner.BallRow / 9f, inner.PaddleColumn / 4f], space["features"].Get<float>(observation).ToArray());
            if (done)
            {
                break;
            }

            var result = reference.Step([step % 3], expected);
            Assert.Equal(result, env.Step([step % 3], observation));
            done = result.IsDone;
        }
    }

    [Fact]
    public void Resume_TheFreshValueEntersTheStackLikeAStepsAndOtherPartsAreFresh()
    {
        using var env = new DictFrameStackObservation<int>(new PausableDictEnv(), "count", 2);
        var inner = (PausableDictEnv)env.Inner;
        var space = (DictSpace)env.ObservationSpace;
        var observation = new byte[space.FlatSize];
        env.Reset(observation);
        env.Step([0], observation);
        Assert.True(env.CanPause);

        env.Pause();
        inner.World = 10;
        env.Resume(observation);

        Assert.Equal([1f, 10f], space["count"].Get<float>(observation).ToArray());
        Assert.Equal([10], space["raw"].Get<byte>(observation).ToArray());
        Assert.Equal(["Reset", "Step", "Pause", "Resume"], inner.Calls);
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        using var env = new DictFrameStackObservation<int>(new Catch(_features), Catch.FramesPart, 4);
        var observation = new byte[env.ObservationSpace.FlatSize];
        void Play()
        {
            env.Reset(observation, seed: 1);
            while (!env.Step([2], observation).IsDone)
            {
            }
        }

        Assert.Equal(0, Allocations.OnThisThread(Play, warmUp: 1, repetitions: 10));
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheProblem()
    {
        var notDict = Assert.Throws<ArgumentException>(() => new DictFrameStackObservation<int>(new Catch(), "frames", 4));
        var unknown = Assert.Throws<ArgumentException>(() => new DictFrameStackObservation<int>(new Catch(_features), "pixels", 4));
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => new DictFrameStackObservation<int>(new Catch(_features), "frames", 0));
        var notBox = Assert.Throws<ArgumentException>(() => new DictFrameStackObservation<int>(new DiscretePartEnv(), "lives", 2));

        Assert.Contains("Box(0, 255, (1, 84, 84), uint8)", notDict.Message);
        Assert.Contains("'pixels'", unknown.Message);
        Assert.Contains("0", size.Message);
        Assert.Contains("Discrete(3)", notBox.Message);
    }

    /// <summary>A pausable dict env whose world is one number, observed as a float <c>count</c> and a byte <c>raw</c>; steps add one.</summary>
    private sealed class PausableDictEnv()
        : Env<byte, int>(new DictSpace(new Dictionary<string, ISpace> { ["count"] = new BoxSpace<float>(0, 255, 1), ["raw"] = new BoxSpace<byte>(0, 255, 1) }), new DiscreteSpace(2)),
        IPausable<byte>
    {
        public byte World { get; set; }

        public List<string> Calls { get; } = [];

        public bool CanPause => true;

        public bool IsPaused { get; private set; }

        public void Pause()
        {
            Calls.Add("Pause");
            IsPaused = true;
        }

        public void Resume(Span<byte> observation)
        {
            Calls.Add("Resume");
            IsPaused = false;
            Write(observation);
        }

        protected override void ResetCore(Span<byte> observation)
        {
            Calls.Add("Reset");
            World = 0;
            Write(observation);
        }

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<byte> observation)
        {
            Calls.Add("Step");
            World++;
            Write(observation);
            return new StepResult(0f, false, false);
        }

        private void Write(Span<byte> observation)
        {
            var space = (DictSpace)ObservationSpace;
            space.ClearPadding(observation);
            space["count"].Get<float>(observation)[0] = World;
            space["raw"].Get<byte>(observation)[0] = World;
        }
    }

    private sealed class DiscretePartEnv()
        : Env<byte, int>(new DictSpace(new Dictionary<string, ISpace> { ["lives"] = new DiscreteSpace(3) }), new DiscreteSpace(2))
    {
        protected override void ResetCore(Span<byte> observation) => observation.Clear();

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<byte> observation) => default;
    }
}

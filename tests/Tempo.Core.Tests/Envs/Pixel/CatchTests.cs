using Tempo.Core.Envs;
using Tempo.Core.Envs.Checking;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Tests.Shared;

namespace Tempo.Core.Tests.Envs.Pixel;

public sealed class CatchTests
{
    private const int Left = 0;
    private const int Stay = 1;
    private const int Right = 2;

    // One pixel per cell: the observation is bsuite's board with 255 for 1.0.
    private static readonly CatchOptions _boardSized = new() { FrameHeight = 10, FrameWidth = 5 };

    [Fact]
    public void Spaces_DefaultOptions_AreOneChannel84x84BytesAndThreeActions()
    {
        using var env = new Catch();

        Assert.Equal("Box(0, 255, (1, 84, 84), uint8)", env.ObservationSpace.ToString());
        Assert.Equal("Discrete(3)", env.ActionSpace.ToString());
        Assert.Equal(84, env.FrameWidth);
        Assert.Equal(84, env.FrameHeight);
    }

    [Fact]
    public void Reset_BallOnTopRowAndPaddleInTheMiddleOfTheBottomRow()
    {
        using var env = new Catch(_boardSized);
        var observation = new byte[50];

        env.Reset(observation, seed: 3);

        Assert.Equal(0, env.BallRow);
        Assert.Equal(2, env.PaddleColumn);
        Assert.Equal(Board((0, env.BallColumn), (9, 2)), observation);
    }

    [Fact]
    public void Step_MovesThePaddleClippedToTheBoardThenDropsTheBall()
    {
        using var env = new Catch(_boardSized);
        var observation = new byte[50];
        env.Reset(observation, seed: 1);
        var column = env.BallColumn;

        Assert.Equal(new StepResult(0f, false, false), env.Step([Left], observation));
        Assert.Equal((1, 1), (env.BallRow, env.PaddleColumn));
        env.Step([Left], observation);
        env.Step([Left], observation);
        Assert.Equal((3, 0), (env.BallRow, env.PaddleColumn));
        env.Step([Stay], observation);
        Assert.Equal((4, 0), (env.BallRow, env.PaddleColumn));
        env.Step([Right], observation);
        Assert.Equal((5, 1), (env.BallRow, env.PaddleColumn));
        Assert.Equal(Board((5, column), (9, 1)), observation);
        Assert.Equal(column, env.BallColumn);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Episode_PaddleUnderTheBall_PaysPlusOneAfterNineSteps(int seed)
    {
        using var env = new Catch(_boardSized);
        var observation = new byte[50];
        env.Reset(observation, seed);
        var rewards = new List<float>();
        StepResult result;
        do
        {
            var move = Math.Sign(env.BallColumn - env.PaddleColumn) + 1;
            result = env.Step([move], observation);
            rewards.Add(result.Reward);
        }
        while (!result.IsDone);

        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1f], rewards);
        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(Board((9, env.BallColumn)), observation);
    }

    [Fact]
    public void Episode_PaddleAwayFromTheBall_PaysMinusOne()
    {
        using var env = new Catch(_boardSized);
        var observation = new byte[50];
        var seed = Enumerable.Range(0, 100).First(s =>
        {
            env.Reset(observation, s);
            return env.BallColumn == 4;
        });
        env.Reset(observation, seed);

        StepResult result = default;
        for (var t = 0; t < 9; t++)
        {
            Assert.False(result.IsDone);
            result = env.Step([Left], observation);
        }

        Assert.Equal(new StepResult(-1f, true, false), result);
        Assert.Equal(Board((9, 4), (9, 0)), observation);
        Assert.Throws<InvalidOperationException>(() => env.Step([Stay], observation));
    }

    [Fact]
    public void Observation_LargerFrame_LightsEveryPixelOfTheBallAndPaddleCells()
    {
        // 20×15 frame over a 10×5 board: rows are 2 pixels tall, columns 3 pixels wide.
        using var env = new Catch(new CatchOptions { FrameHeight = 20, FrameWidth = 15 });
        var observation = new byte[20 * 15];
        env.Reset(observation, seed: 7);

        var lit = Enumerable.Range(0, observation.Length).Where(i => observation[i] == Catch.Lit).Select(i => (Row: i / 15, Column: i % 15)).ToArray();

        var ball = env.BallColumn * 3;
        (int, int)[] expected = [(0, ball), (0, ball + 1), (0, ball + 2), (1, ball), (1, ball + 1), (1, ball + 2), (18, 6), (18, 7), (18, 8), (19, 6), (19, 7), (19, 8)];
        Assert.Equal(expected.Order(), lit.Select(p => (p.Row, p.Column)).Order());
        Assert.Equal(observation.Length - 12, observation.Count(b => b == 0));
    }

    [Fact]
    public void Observation_FrameNotAMultipleOfTheBoard_CellsTileItWithoutGaps()
    {
        // 84 rows over 10 board rows: row r covers pixel rows ⌊8.4 r⌋ … ⌊8.4 (r + 1)⌋ − 1.
        using var env = new Catch();
        var observation = new byte[84 * 84];
        env.Reset(observation, seed: 2);

        var litRows = Enumerable.Range(0, 84).Where(y => observation.AsSpan(y * 84, 84).Contains(Catch.Lit)).ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 75, 76, 77, 78, 79, 80, 81, 82, 83], litRows);

        // The paddle sits in board column 2 of 5: pixel columns ⌊16.8·2⌋ = 33 … ⌊16.8·3⌋ − 1 = 49.
        var bottom = observation.AsSpan(83 * 84, 84).ToArray();
        Assert.Equal(Enumerable.Range(33, 17), Enumerable.Range(0, 84).Where(x => bottom[x] == Catch.Lit));
    }

    [Fact]
    public void Reset_SameSeed_SameEpisode_AndTheBallStartsInEveryColumn()
    {
        using var a = new Catch(_boardSized);
        using var b = new Catch(_boardSized);
        var first = new byte[50];
        var second = new byte[50];
        var columns = new HashSet<int>();
        for (var seed = 0; seed < 50; seed++)
        {
            a.Reset(first, seed);
            b.Reset(second, seed);
            Assert.Equal(first, second);
            columns.Add(a.BallColumn);
        }

        Assert.Equal([0, 1, 2, 3, 4], columns.Order());
    }

    [Fact]
    public void RandomPolicy_MeanReturn_IsMinusZeroPointSix()
    {
        // Ball and paddle columns are independent and the ball's is uniform, so P(catch) = 1/5 and E[return] = −0.6.
        using var env = new Catch(_boardSized);
        var random = new RandomSource(4);
        var observation = new byte[50];
        var action = new int[1];
        double total = 0;
        const int Episodes = 4000;
        env.Reset(observation, seed: 4);
        for (var episode = 0; episode < Episodes; episode++)
        {
            StepResult result;
            do
            {
                env.ActionSpace.Sample(random, action);
                result = env.Step(action, observation);
            }
            while (!result.IsDone);

            total += result.Reward;
            env.Reset(observation);
        }

        // Standard error of the mean: 0.8 / √4000 ≈ 0.013.
        Assert.InRange(total / Episodes, -0.65, -0.55);
    }

    [Fact]
    public void Render_DrawsTheObservationInWhiteOnBlack()
    {
        using var env = new Catch(new CatchOptions { FrameHeight = 21, FrameWidth = 13 });
        var observation = new byte[21 * 13];
        var rgb = new byte[21 * 13 * 3];
        env.Reset(observation, seed: 5);
        env.Step([Right], observation);

        env.Render(rgb);

        for (var i = 0; i < observation.Length; i++)
        {
            Assert.Equal([observation[i], observation[i], observation[i]], rgb.AsSpan(i * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Render_BeforeResetOrIntoAWrongBuffer_Throws()
    {
        using var env = new Catch(_boardSized);

        Assert.Throws<InvalidOperationException>(() => env.Render(new byte[150]));
        env.Reset(new byte[50], seed: 0);
        var error = Assert.Throws<ArgumentException>(() => env.Render(new byte[149]));
        Assert.Contains("149", error.Message);
    }

    [Theory]
    [InlineData(1, 5, 84, 84, "Rows")]
    [InlineData(10, 0, 84, 84, "Columns")]
    [InlineData(10, 5, 9, 84, "FrameHeight")]
    [InlineData(10, 5, 84, 4, "FrameWidth")]
    [InlineData(10, 5, 84, 5000, "FrameWidth")]
    public void Constructor_SizeOutOfRange_ThrowsNamingIt(int rows, int columns, int height, int width, string name)
    {
        var options = new CatchOptions { Rows = rows, Columns = columns, FrameHeight = height, FrameWidth = width };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Catch(options));

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void Check_DefaultAndSmallFrames_PassEveryCheck()
    {
        using var small = new Catch(new CatchOptions { FrameHeight = 36, FrameWidth = 36 });
        using var made = EnvRegistry.CreateDefault().Make<byte, int>("Catch-v0");

        var smallReport = EnvChecker.Check(small, seed: 3);
        var madeReport = EnvChecker.Check(made, seed: 3);

        Assert.True(smallReport.IsValid, smallReport.ToString());
        Assert.Equal(Enum.GetValues<EnvCheck>(), smallReport.Passed);
        Assert.True(madeReport.IsValid, madeReport.ToString());
        Assert.IsType<Catch>(made.Unwrapped());
    }

    [Fact]
    public void Make_WithOptions_UsesTheFrameSize()
    {
        using var env = EnvRegistry.CreateDefault().Make<byte, int>("Catch-v0", new CatchOptions { FrameHeight = 40, FrameWidth = 48 });

        Assert.Equal([1, 40, 48], env.ObservationSpace.Shape);
    }

    [Fact]
    public void Step_AllocatesNothingInSteadyState()
    {
        using var env = new Catch();
        var observation = new byte[84 * 84];
        int[] action = [Right];
        void Play(int steps)
        {
            for (var t = 0; t < steps; t++)
            {
                if (env.Step(action, observation).IsDone)
                {
                    env.Reset(observation);
                }
            }
        }

        env.Reset(observation, seed: 1);
        Play(100);

        Assert.Equal(0, Allocations.OnThisThread(() => Play(1000), warmUp: 0, repetitions: 1));
    }

    /// <summary>A 10×5 board with 255 at the given (row, column) cells.</summary>
    private static byte[] Board(params (int Row, int Column)[] lit)
    {
        var board = new byte[50];
        foreach (var (row, column) in lit)
        {
            board[(row * 5) + column] = 255;
        }

        return board;
    }
}

using System.Diagnostics;
using Tempo.Games.Imaging;
using Tempo.Games.Input;
using Tempo.Games.Memory;
using Tempo.Games.Scanning;
using Tempo.Games.SuperTux;
using Tempo.Games.Supervision;
using Tempo.Games.X11;

namespace Tempo.Games.Tests.SuperTux;

/// <summary>The back ends against a real game: SuperTux 0.6.3 under Xvfb, on levels the tests generate.</summary>
public sealed class SuperTuxGameTests(SuperTuxFixture fixture) : IClassFixture<SuperTuxFixture>
{
    private const int Right = 1;
    private const int Left = 2;
    private const int Jump = 3;
    private static readonly string[][] _moves = [[], ["Right"], ["Left"], ["space"]];

    // Tux's top speed in px per second of game time at normal speed with Right held: measured 322 (96 px per 0.3 s) on the
    // test level; he never goes faster, so in t seconds of wall time at normal speed he covers at most TopSpeed * t.
    private const double TopSpeed = 330;

    // Under load (two `yes` hogs beside other engineers' builds on 2 cores) the game gets a fraction of the frames it
    // gets on a quiet machine, and game time falls behind wall time. A wait for something the game must do polls for
    // it and gives up after LoadSlowdown times what it needs on a quiet machine.
    private const double LoadSlowdown = 5;

    [SkippableFact]
    public void Spawn_reads_the_level_spawn_and_Right_moves_x_changes_the_frame_and_collects_coins()
    {
        var game = Fresh();
        var x0 = Read(game, "x");
        var coins0 = Read(game, "coins");
        Assert.InRange(x0, SuperTuxLevel.SpawnX - 1, SuperTuxLevel.SpawnX + 1);

        var resizer = new GrayAreaResizer(game.Frames.Width, game.Frames.Height, 64, 64);
        var before = new byte[64 * 64];
        var after = new byte[64 * 64];
        resizer.Convert(game.Frames.Capture(), before);

        var keys = new KeyActions(game.Keyboard, _moves);
        keys.Apply(Right);

        // FACTS: 96 -> 447 in 1 s held plus coasting on a quiet machine, over the first coins (at 320).
        WaitUntil(() => Read(game, "x") - x0 > 150 && Read(game, "coins") > coins0, quiet: TimeSpan.FromSeconds(1));
        keys.ReleaseAll();
        resizer.Convert(game.Frames.Capture(), after);
        var x1 = Read(game, "x");

        Assert.True(x1 - x0 > 150, $"x moved {x1 - x0} px while Right was held");
        Assert.True(before.AsSpan().SequenceCompareTo(after) != 0, "the 64x64 observation did not change while Tux walked");
        Assert.True(Read(game, "coins") > coins0, $"coins stayed at {coins0} after walking over the coin line");
    }

    [SkippableFact]
    public void Frames_come_from_Xvfbs_framebuffer_equal_XShmGetImage_on_the_paused_picture_and_follow_Tux()
    {
        var game = Fresh();
        Assert.IsType<FramebufferCapture>(game.Frames);
        using var display = X11Display.Open(game.DisplayName);
        var window = WindowFinder.FindByPid(display, game.ProcessId) ?? throw new InvalidOperationException("no SuperTux window");
        using var request = new ShmCapture(display, window);
        var pause = new KeyTogglePause(game.Keyboard, game.Frames, SuperTuxGame.PauseKey);
        pause.Pause();
        byte[] paused;
        try
        {
            // The request must see, byte for byte, the picture two framebuffer copies taken around it agree on. Equal
            // copies around it do not prove the picture stood still meanwhile: a line of the pause menu (x 192–447,
            // y 203–229, its selected item) changes by a colour step from frame to frame and can step back (seen beside
            // two hogs: the request caught the frame between, 5,759 pixels of that line one unit apart). So the test polls until a request matches
            // the copies around it, and fails if none does: a capture that reads the framebuffer wrongly (offset,
            // stride, pixel format) never matches 1.2 MB byte for byte. KeyTogglePause returns once a 32x24 thumbnail
            // stands still and finer details may still be settling (at load 60 they did for 50 tries of 20 ms): poll for
            // 2 s (over 100 of the game's 64 Hz frames), times LoadSlowdown.
            var matched = false;
            var bracketed = 0;
            var lastDifference = "none";
            paused = Copy(game.Frames);
            var deadline = Stopwatch.GetTimestamp() + (long)(2 * LoadSlowdown * Stopwatch.Frequency);
            while (!matched && Stopwatch.GetTimestamp() < deadline)
            {
                var byRequest = Copy(request);
                var after = Copy(game.Frames);
                if (after.AsSpan().SequenceEqual(paused))
                {
                    bracketed++;
                    matched = byRequest.AsSpan().SequenceEqual(paused);
                    lastDifference = matched ? lastDifference : Differences(byRequest, paused, game.Frames.Width);
                }

                paused = after;
                Thread.Sleep(20);
            }

            Assert.True(bracketed > 0, "the paused picture never stood still for two framebuffer copies");
            Assert.True(matched, $"XShmGetImage never equalled the framebuffer copies around it ({bracketed} tries on an unchanged picture); last: {lastDifference}");
        }
        finally
        {
            pause.Resume();
        }

        // Playing again (the menu gone): Tux walking 100 px moves him or the scene on the screen, so the copy changes.
        var keys = new KeyActions(game.Keyboard, _moves);
        var before = Copy(game.Frames);
        var x0 = Read(game, "x");
        keys.Apply(Right);
        WaitUntil(() => Read(game, "x") - x0 > 100, quiet: TimeSpan.FromSeconds(0.5));
        keys.ReleaseAll();
        Assert.True(Read(game, "x") - x0 > 100, "Tux did not walk");
        Assert.False(Copy(game.Frames).AsSpan().SequenceEqual(before), "the framebuffer copy did not change while Tux walked");
    }

    // Where two BGRX pictures differ: how many bytes, the bounding box, and the first differing pixel's bytes.
    private static string Differences(byte[] a, byte[] b, int width)
    {
        var differing = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
        var pixels = differing.Select(i => i / 4).Distinct().ToArray();
        if (pixels.Length == 0)
        {
            return "none";
        }

        var first = pixels[0] * 4;
        return $"{differing.Length} bytes in {pixels.Length} pixels, x {pixels.Min(p => p % width)}..{pixels.Max(p => p % width)}, y {pixels.Min(p => p / width)}..{pixels.Max(p => p / width)}; "
            + $"first {Convert.ToHexString(a, first, 4)} vs {Convert.ToHexString(b, first, 4)}";
    }

    private static byte[] Copy(IFrameSource frames)
    {
        var frame = frames.Capture();
        var bytes = new byte[frame.Width * frame.Height * 4];
        for (var y = 0; y < frame.Height; y++)
        {
            frame.Row(y).CopyTo(bytes.AsSpan(y * frame.Width * 4));
        }

        return bytes;
    }

    [SkippableFact]
    public void Jump_raises_Tux_then_lands_him_on_the_same_ground()
    {
        var game = Fresh();
        var y0 = Read(game, "y");
        var keys = new KeyActions(game.Keyboard, _moves);
        keys.Apply(Jump);
        var highest = y0;

        // A jump clears 30 px in well under 0.4 s and is over in about 1 s on a quiet machine.
        WaitUntil(() => y0 - (highest = Math.Min(highest, Read(game, "y"))) > 30, quiet: TimeSpan.FromSeconds(0.4));
        keys.ReleaseAll();
        Assert.True(y0 - highest > 30, $"y went from {y0} only up to {highest}");
        WaitUntil(() => Math.Abs(Read(game, "y") - y0) <= 2, quiet: TimeSpan.FromSeconds(1));
        Assert.InRange(Read(game, "y"), y0 - 2, y0 + 2);
    }

    [SkippableFact]
    public void Left_decreases_x()
    {
        var game = Fresh();
        var keys = new KeyActions(game.Keyboard, _moves);
        keys.Apply(Right);
        WaitUntil(() => Read(game, "x") > SuperTuxLevel.SpawnX + 100, quiet: TimeSpan.FromSeconds(0.5));
        keys.ReleaseAll();
        Thread.Sleep(1200);
        var x0 = Read(game, "x");
        keys.Apply(Left);
        WaitUntil(() => Read(game, "x") < x0 - 30, quiet: TimeSpan.FromSeconds(0.5));
        keys.ReleaseAll();
        Assert.True(Read(game, "x") < x0 - 30, $"x did not decrease from {x0} while Left was held");
    }

    [SkippableFact]
    public void Pause_stops_x_while_paused_and_play_resumes_from_the_same_x()
    {
        var game = Fresh();
        using var controls = new GameControls(new KeyActions(game.Keyboard, _moves), new KeyTogglePause(game.Keyboard, game.Frames, SuperTuxGame.PauseKey), idleTimeout: null);
        // Tux walks long enough to be near his top speed, so that he is still sliding when the pause takes effect.
        controls.Act(Right);
        WaitUntil(() => Read(game, "x") > SuperTuxLevel.SpawnX + 150, quiet: TimeSpan.FromSeconds(0.7));
        controls.Pause();
        var paused = Read(game, "x");
        for (var i = 0; i < 10; i++)
        {
            Thread.Sleep(100);
            Assert.Equal(paused, Read(game, "x"));
        }

        var resuming = Stopwatch.GetTimestamp();
        controls.Resume();
        var resumed = Read(game, "x");

        // No game time passed while paused; since the resume began at most the wall time that went by, at top speed.
        Assert.InRange(resumed - paused, 0, 2 + (TopSpeed * Stopwatch.GetElapsedTime(resuming).TotalSeconds));

        // Tux was moving when the game paused: he keeps sliding after the pause.
        WaitUntil(() => Read(game, "x") > paused, quiet: TimeSpan.FromSeconds(0.3));
        Assert.True(Read(game, "x") > paused, $"x stayed at {paused} after Resume");
    }

    [SkippableFact]
    public void Idle_safety_pauses_the_game_when_no_action_arrives_and_the_next_action_resumes_it()
    {
        var game = Fresh();
        using var controls = new GameControls(new KeyActions(game.Keyboard, _moves), new KeyTogglePause(game.Keyboard, game.Frames, SuperTuxGame.PauseKey), TimeSpan.FromSeconds(1));
        controls.Act(Right);

        // The watchdog looks every quarter timeout, so it pauses at most 1.25 s after the last action, and the pause is
        // confirmed on screen within the toggle's timeout.
        var deadline = Stopwatch.GetTimestamp() + (long)((1.25 + KeyTogglePause.DefaultTimeout.TotalSeconds) * Stopwatch.Frequency);
        while (controls.IdlePauseCount == 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(1, controls.IdlePauseCount);
        Assert.True(controls.IsPaused);
        var x = Read(game, "x");
        Thread.Sleep(500);
        Assert.Equal(x, Read(game, "x"));

        // The actor acts again (and keeps acting, so the watchdog stays quiet) until Tux moves.
        controls.Act(Right);
        Assert.False(controls.IsPaused);
        // Quiet: the menu closes and Tux starts walking within a few frames; 1 s leaves room for the menu's fade.
        WaitUntil(() => { controls.Act(Right); return Read(game, "x") > x; }, quiet: TimeSpan.FromSeconds(1));
        controls.ReleaseAll();
        Assert.True(Read(game, "x") > x, "x did not move after the action that resumed the game");
        Assert.Equal(1, controls.IdlePauseCount);
    }

    [SkippableFact]
    public void Kill_9_is_detected_and_the_game_relaunched_and_reattached()
    {
        var game = Fresh();
        var pid = game.ProcessId;
        var relaunches = game.RelaunchCount;
        Process.GetProcessById(pid).Kill();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (game.CheckHealth() != GameHealth.Exited)
        {
            Assert.True(DateTime.UtcNow < deadline, "a killed game was not reported as exited within 5 s");
            Thread.Sleep(50);
        }

        game.Relaunch();
        Assert.NotEqual(pid, game.ProcessId);
        Assert.Equal(relaunches + 1, game.RelaunchCount);
        Assert.Equal(GameHealth.Running, game.CheckHealth());
        Assert.InRange(Read(game, "x"), SuperTuxLevel.SpawnX - 1, SuperTuxLevel.SpawnX + 1);
        Assert.True(game.LastLaunchSeconds < 15, $"crash to playable took {game.LastLaunchSeconds} s");
    }

    [SkippableFact]
    public void Reaching_the_finish_ends_the_game_process_and_that_is_detected()
    {
        var game = Fresh();
        var keys = new KeyActions(game.Keyboard, _moves);
        keys.Apply(Right);

        // The finish is at x = 1024 (about 3 s of walking); the game exits about 7 s after it.
        Assert.True(
            WaitUntil(() => game.CheckHealth() == GameHealth.Exited, quiet: TimeSpan.FromSeconds(10)),
            "the game did not exit after walking to the finish");

        Assert.Equal(0, game.ExitCode);
        game.Relaunch();
    }

    [SkippableFact]
    public void A_pit_kills_Tux_and_he_respawns_at_the_spawn_on_a_second_instance()
    {
        fixture.Require();
        var level = fixture.Level with { Pits = [(12, 4)] };
        using var game = GameInstance.Launch(fixture.Options(level, "pit"));
        Assert.NotEqual(fixture.Game.DisplayName, game.DisplayName);
        var keys = new KeyActions(game.Keyboard, _moves);
        keys.Apply(Right);

        // The pit (x 384) is under 2 s of walking away; the respawn comes about 3.5 s after the fall.
        Assert.True(
            WaitUntil(() => Read(game, "y") >= SuperTuxLevel.HeightTiles * SuperTuxLevel.TileSize, quiet: TimeSpan.FromSeconds(2)),
            "Tux did not fall below the level");
        keys.ReleaseAll();
        Assert.True(
            WaitUntil(() => Math.Abs(Read(game, "x") - SuperTuxLevel.SpawnX) <= 1, quiet: TimeSpan.FromSeconds(4)),
            "Tux did not respawn after dying");

        Assert.InRange(Read(game, "y"), 400, SuperTuxLevel.GroundTop + 10);
    }

    [SkippableFact]
    public void A_stopped_game_is_reported_frozen_and_a_running_idle_one_is_not()
    {
        fixture.Require();
        using var game = GameInstance.Launch(fixture.Options(fixture.Level, "frozen") with { FrozenAfter = TimeSpan.FromSeconds(1.5) });
        for (var i = 0; i < 10; i++)
        {
            // Tux stands still, but the level's coins spin: the picture keeps changing.
            Assert.Equal(GameHealth.Running, game.CheckHealth());
            Thread.Sleep(250);
        }

        Assert.Equal(0, Kill(game.ProcessId, 19)); // SIGSTOP: the process lives but draws nothing
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (game.CheckHealth() != GameHealth.Frozen)
            {
                Assert.True(DateTime.UtcNow < deadline, "a stopped game was not reported frozen within 10 s");
                Thread.Sleep(100);
            }
        }
        finally
        {
            _ = Kill(game.ProcessId, 18); // SIGCONT, so that Dispose's SIGTERM is handled
        }
    }

    [SkippableFact]
    public void Memory_reads_that_keep_failing_are_reported_and_a_read_that_works_again_clears_them()
    {
        fixture.Require();

        // The health probe reads the first chain: here one through MenuStorage's singleton, which the game only uses
        // when a menu opens. Writing null into that static (as root, through /proc/PID/mem) breaks the chain without
        // disturbing play; writing the pointer back mends it.
        var probe = new PointerChainSpec("probe", "supertux2", "_ZN11MenuStorage10s_instanceE", 0, [0], ChainValueType.Int32);
        var options = fixture.Options(fixture.Level, "memory");
        using var game = GameInstance.Launch(options with { Chains = options.Chains! with { Chains = [probe, .. options.Chains.Chains] }, MaxFailedReads = 3 });
        var memory = game.Memory!;
        Assert.Equal(GameHealth.Running, game.CheckHealth());
        var slot = memory.StaticAddress(0);
        Span<byte> saved = stackalloc byte[8];
        Assert.True(memory.Process.TryRead(slot, saved));
        WriteMemory(game.ProcessId, slot, new byte[8]);
        try
        {
            // Two failing looks stay Running (a read may fail once while the game swaps an object); the third is MaxFailedReads.
            Assert.Equal(GameHealth.Running, game.CheckHealth());
            Assert.Equal(GameHealth.Running, game.CheckHealth());
            Assert.Equal(GameHealth.MemoryFailing, game.CheckHealth());
            Assert.Equal(GameHealth.MemoryFailing, game.CheckHealth());
        }
        finally
        {
            WriteMemory(game.ProcessId, slot, saved.ToArray());
        }

        Assert.Equal(GameHealth.Running, game.CheckHealth());
    }

    [SkippableFact]
    public void Game_speed_from_the_level_makes_Tux_cover_more_ground_per_second()
    {
        fixture.Require();
        using var fast = GameInstance.Launch(fixture.Options(fixture.Level with { WidthTiles = 80, GameSpeed = 3 }, "speed"));

        // The init script sets the speed 0.2 s of game time after the level starts; give it that before walking.
        Thread.Sleep(500);
        var x0 = Read(fast, "x");
        var keys = new KeyActions(fast.Keyboard, _moves);
        var started = Stopwatch.GetTimestamp();
        keys.Apply(Right);

        // At normal speed 500 px take at least 500 / TopSpeed = 1.5 s of wall time however fast the machine (load only
        // slows the game down); FACTS: at speed 3 Tux covers about 1000 px in 1 s.
        WaitUntil(() => Read(fast, "x") - x0 > 500, quiet: TimeSpan.FromSeconds(1));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        keys.ReleaseAll();
        Assert.True(Read(fast, "x") - x0 > 500, $"x moved only {Read(fast, "x") - x0} px at game speed 3");
        Assert.True(seconds < 500 / TopSpeed, $"500 px took {seconds:F2} s at game speed 3, as long as at normal speed or longer");
    }

    [SkippableFact]
    public void Scanner_finds_x_and_coins_without_being_told_where()
    {
        // The script's level: coins at 160-384 (the first walk), none up to 760 (walks that must not count), then many
        // up to 1688, then a pit at 1728-1920 (the death that tells the coin count from per-level tallies).
        fixture.Require();
        var level = new SuperTuxLevel
        {
            WidthTiles = 80,
            CoinsX = [.. Enumerable.Range(0, 8).Select(i => 160 + (32 * i)), .. Enumerable.Range(0, 30).Select(i => 760 + (32 * i))],
            Pits = [(54, 6)],
        };
        using var game = GameInstance.Launch(fixture.Options(level, "scan"));
        using var memory = new LinuxProcessMemory(game.ProcessId);
        var script = ScanScript.Load(Path.Combine(AppContext.BaseDirectory, "SuperTux", "supertux.scan.json"));
        var lines = new List<string>();
        var result = new Scanner(memory, game.Keyboard, "supertux2").Run(script, "SuperTux test", lines.Add);
        var log = string.Join(Environment.NewLine, lines);

        // The chains in FACTS (SuperTuxGame.DebianChains) are the independent answer; the scanner never saw them.
        Assert.True(result.Chains.Chains.Count == 2, "the scan found chains for [" + string.Join(", ", result.Chains.Chains.Select(c => c.Name)) + "]" + Environment.NewLine + log);
        var found = new GameMemory(memory, ChainFile.Parse(result.Chains.ToJson(), "scan result"));
        // x: the best-ranked chain reads Tux's x, now and after walks.
        var keys = new KeyActions(game.Keyboard, _moves);
        var x = found.IndexOf("x");
        for (var round = 0; round < 2; round++)
        {
            Assert.True(Read(game, "x") == found.Read(x), $"x read {found.Read(x)} through {found.Chains[x].Describe()}, {Read(game, "x")} through the known chain{Environment.NewLine}{log}");
            keys.Apply(Right);
            Thread.Sleep(700);
            keys.ReleaseAll();
            Thread.Sleep(1200);
        }

        // Coins: the best-ranked chain reads the coin count, now and after collecting more.
        var coins = found.IndexOf("coins");
        for (var round = 0; round < 2; round++)
        {
            Assert.True(Read(game, "coins") == found.Read(coins), $"coins read {found.Read(coins)} through {found.Chains[coins].Describe()}, {Read(game, "coins")} through the known chain{Environment.NewLine}{log}");
            keys.Apply(Right);
            Thread.Sleep(700);
            keys.ReleaseAll();
            Thread.Sleep(1200);
        }

        // The script's holds and settles (their maxima), plus the memory work: per narrow step one read of every writable
        // region and a comparison per target over it (each about one read, FACTS: snapshot 190-360 ms, compare 100-500 ms),
        // so 3 reads a step and one to start. A read timed now, beside the same load, is the reference; the load varies over
        // the scan's minutes, so twice that, and the chain search and verify reads (a second on a quiet machine) fit in it.
        var regions = MemoryRegion.ReadMaps(game.ProcessId);
        var reading = Stopwatch.GetTimestamp();
        DifferentialScan.Start(memory, [ChainValueType.Float32], regions);
        var read = Stopwatch.GetElapsedTime(reading).TotalSeconds;
        var scripted = script.Steps.Concat(script.Verify).Sum(step => (step.Hold + step.Settle).TotalSeconds);
        var budget = scripted + (((script.Steps.Count * 3) + 1) * read * 2);
        Assert.True(result.Elapsed.TotalSeconds < budget, $"the scan took {result.Elapsed.TotalSeconds:F1} s, more than {budget:F1} s ({scripted:F1} s scripted, a read of the game's memory {read:F2} s){Environment.NewLine}{log}");
    }

    private static void WriteMemory(int pid, ulong address, byte[] bytes)
    {
        using var handle = File.OpenHandle($"/proc/{pid}/mem", FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(handle, bytes, (long)address);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="LoadSlowdown"/> times <paramref name="quiet"/> went by; returns whether it held.</summary>
    private static bool WaitUntil(Func<bool> condition, TimeSpan quiet)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(quiet.TotalSeconds * LoadSlowdown * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    private static double Read(GameInstance game, string chain)
    {
        var memory = game.Memory!;
        return memory.Read(memory.IndexOf(chain));
    }

    private GameInstance Fresh()
    {
        var game = fixture.Require();
        var memory = game.Memory!;
        if (game.CheckHealth() != GameHealth.Running || !memory.TryRead(memory.IndexOf("x"), out var x) || Math.Abs(x - SuperTuxLevel.SpawnX) > 1)
        {
            game.Relaunch();
        }

        return game;
    }
}

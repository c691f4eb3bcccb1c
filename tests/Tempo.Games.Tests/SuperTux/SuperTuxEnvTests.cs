using System.Diagnostics;
using System.Runtime.InteropServices;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;
using Tempo.Games.Display;
using Tempo.Games.SuperTux;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.SuperTux;

/// <summary>SuperTux-v0 end to end on the real game under Xvfb: made from the registry, stepped, finished, relaunched, paused.</summary>
public sealed class SuperTuxEnvTests
{
    private const int RunRight = 6; // run+right in the default action set
    private const int RightJump = 4;

    [SkippableFact]
    public void Steps_see_changing_frames_the_finish_ends_the_episode_and_reset_relaunches_the_game()
    {
        Require();
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);

        // 30 tiles: the finish (x = 704) comes before the pits; at game speed 3, about a second of running right.
        using var env = registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { LevelWidthTiles = 30, GameSpeed = 3 });
        var game = Unwrap(env);
        var observation = new byte[env.ObservationSpace.FlatSize];
        var first = new byte[observation.Length];
        env.Reset(observation);
        observation.CopyTo(first, 0);
        Assert.InRange(game.X, SuperTuxLevel.SpawnX - 1, SuperTuxLevel.SpawnX + 1);

        // A few random steps (seeded), then run right until the episode ends.
        var random = new Random(12);
        var changed = false;
        var steps = 0;
        StepResult result = default;
        for (; steps < 400 && !result.IsDone; steps++)
        {
            var action = steps < 40 ? random.Next(SuperTuxActions.Default.Count) : (steps % 10 == 0 ? RightJump : RunRight);
            result = env.Step([action], observation);
            changed |= !observation.AsSpan().SequenceEqual(first);
        }

        Assert.True(changed, "the observation never changed while Tux moved");
        Assert.True(result.Terminated, $"the episode did not end at the finish within {steps} steps (x = {game.X})");
        Assert.True(game.FinishCount == 1, $"the episode ended after {steps} steps without the finish: x {game.X}, y {game.Y}, falls {game.FallCount}, crashes {game.CrashCount}");
        Assert.True(game.ReachedGoal);
        Assert.True(result.Reward > 0, $"the finish step's reward was {result.Reward}");

        var relaunches = game.Game.RelaunchCount;
        var pid = game.Game.ProcessId;
        env.Reset(observation);
        Assert.Equal(relaunches + 1, game.Game.RelaunchCount);
        Assert.NotEqual(pid, game.Game.ProcessId);
        Assert.InRange(game.X, SuperTuxLevel.SpawnX - 1, SuperTuxLevel.SpawnX + 1);
        Assert.False(env.Step([RunRight], observation).IsDone);
    }

    [SkippableFact]
    public void Features_show_whether_the_action_in_force_holds_jump()
    {
        // SuperTux jumps on the key's press edge: a policy must see that jump is already held to know that choosing a
        // jump action again will not jump.
        Require();
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);
        using var env = registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { LevelWidthTiles = 30 });
        var features = ((DictSpace)env.ObservationSpace)[SuperTuxEnv.FeaturesPart];
        var observation = new byte[env.ObservationSpace.FlatSize];
        env.Reset(observation);
        Assert.Equal(0f, features.Get<float>(observation)[5]);
        env.Step([RightJump], observation);
        Assert.Equal(1f, features.Get<float>(observation)[5]);
        env.Step([RightJump], observation);
        Assert.Equal(1f, features.Get<float>(observation)[5]);
        env.Step([RunRight], observation);
        Assert.Equal(0f, features.Get<float>(observation)[5]);
    }

    [SkippableFact]
    public void Pause_stops_the_game_itself_no_x_moves_while_paused_with_Right_held_before()
    {
        Require();
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);
        using var env = registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { PixelsOnly = true });
        var game = Unwrap(env);
        var observation = new byte[env.ObservationSpace.FlatSize];
        Assert.Equal(4 * 64 * 64, observation.Length);
        env.Reset(observation);
        for (var i = 0; i < 5; i++)
        {
            env.Step([RunRight], observation);
        }

        var pausable = (IPausable<byte>)env;
        Assert.True(pausable.CanPause);
        pausable.Pause();

        // Coasting stops within a frame or two of the pause key's confirmation; afterwards x must stand still.
        var atPause = game.X;
        var ticks = game.TickCount;
        Thread.Sleep(1500);
        Assert.Equal(ticks, game.TickCount);
        Assert.Equal(atPause, game.X);
        pausable.Resume(observation);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(1))
        {
            env.Step([RunRight], observation);
        }

        Assert.True(game.X > atPause + 50, $"x went from {atPause} to only {game.X} in 1 s of running right after Resume");
    }

    [SkippableFact]
    public void A_game_stopped_with_SIGSTOP_is_a_hang_the_episode_truncates_and_the_reset_relaunches_it()
    {
        Require();
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);

        // Stagnation far off, so that only the hang check can end the episode of a frozen Tux.
        const double hangSeconds = 2;
        using var env = registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { HangSeconds = hangSeconds, StagnationSeconds = 60 });
        var game = Unwrap(env);
        var observation = new byte[env.ObservationSpace.FlatSize];
        env.Reset(observation);
        for (var i = 0; i < 5; i++)
        {
            Assert.False(env.Step([RunRight], observation).IsDone);
        }

        var pid = game.Game.ProcessId;
        Assert.Equal(0, Kill(pid, 19)); // SIGSTOP: alive, but the picture and Tux's position freeze
        StepResult result;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            do
            {
                result = env.Step([RunRight], observation);
            }
            while (!result.IsDone && stopwatch.Elapsed < TimeSpan.FromSeconds(30));
        }
        finally
        {
            _ = Kill(pid, 18); // SIGCONT, in case the test failed before the reset replaced the game
        }

        // Detected after the hang time plus at most one quarter-second window check; 30 s leaves room for a loaded machine.
        Assert.True(result.Truncated && !result.Terminated, $"a stopped game did not truncate the episode within {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(hangSeconds - 0.5), $"the hang was called after only {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(1, game.HangCount);
        Assert.Equal(0, game.CrashCount);

        var relaunches = game.Game.RelaunchCount;
        env.Reset(observation);
        Assert.Equal(relaunches + 1, game.Game.RelaunchCount);
        Assert.NotEqual(pid, game.Game.ProcessId);
        var start = game.X;
        for (var i = 0; i < 15; i++)
        {
            Assert.False(env.Step([RunRight], observation).IsDone);
        }

        Assert.True(game.X > start + 20, $"Tux did not move after the relaunch (x {start} -> {game.X})");
        Assert.Equal(1, game.HangCount);
    }

    [SkippableFact]
    public void The_game_plays_on_a_display_the_user_gives_and_leaves_that_display_running()
    {
        Require();
        using var display = XvfbServer.Start(640, 480);
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);
        using (var env = registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { Display = display.DisplayName, LevelWidthTiles = 30 }))
        {
            var game = Unwrap(env);
            Assert.Equal(display.DisplayName, game.Game.DisplayName);
            Assert.False(game.Game.OwnsDisplay);
            var observation = new byte[env.ObservationSpace.FlatSize];
            env.Reset(observation);
            var start = game.X;
            for (var i = 0; i < 15 && !env.Step([RunRight], observation).IsDone; i++)
            {
            }

            Assert.True(game.X > start + 20, $"Tux did not move on the given display (x {start} -> {game.X})");
        }

        Assert.False(display.HasExited, "disposing the env stopped the user's display");
    }

    [SkippableFact]
    public void A_display_that_does_not_answer_is_refused_naming_it()
    {
        Require();
        var registry = EnvRegistry.CreateDefault();
        registry.RegisterFrom(typeof(SuperTuxRegistration).Assembly);

        var error = Assert.Throws<ArgumentException>(() => registry.Make<byte, int>(SuperTuxEnvs.Id, new SuperTuxOptions { Display = ":4321" }));

        Assert.Contains("':4321'", error.Message);
    }

    private static void Require()
    {
        ExternalTool.Require("Xvfb", "xvfb");
        ExternalTool.Require(SuperTuxGame.DebianExecutable, "supertux");
    }

    private static SuperTuxEnv Unwrap(IEnv env)
    {
        while (env is IEnvWrapper wrapper)
        {
            env = wrapper.Inner;
        }

        return Assert.IsType<SuperTuxEnv>(env);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

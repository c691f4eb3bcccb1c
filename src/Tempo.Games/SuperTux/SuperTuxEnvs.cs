using Tempo.Core.Envs;
using Tempo.Core.Wrappers;
using Tempo.Core.Wrappers.Progress;

namespace Tempo.Games.SuperTux;

/// <summary>Makes <c>SuperTux-v0</c>: the live <see cref="SuperTuxEnv"/> in the seed user's wrappers.</summary>
public static class SuperTuxEnvs
{
    /// <summary>The registered id.</summary>
    public const string Id = "SuperTux-v0";

    /// <summary>
    /// Makes the env: action gaps recorded, frame skip, x-teleport death, death-zone penalty, milestone rewards,
    /// stagnation and wall-time caps, and the frame stack (the <c>frames</c> part of the dict, or the bare frame).
    /// </summary>
    /// <exception cref="Supervision.GameLaunchException">The game could not be brought to play.</exception>
    public static IEnv<byte, int> Make(SuperTuxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var game = new SuperTuxEnv(options);
        IEnv<byte, int> env = new RecordActionGaps<byte, int>(game);
        if (options.FrameSkip > 1)
        {
            env = new FrameSkip<byte, int>(env, options.FrameSkip);
        }

        env = new TeleportDeath<byte, int>(env, game, options.DeathReward, options.TeleportDropFraction, options.TeleportDropPixels);
        env = new DeathZonePenalty<byte, int>(env, game, options.DeathZoneRadius, options.RepeatDeathReward);
        env = new MilestoneReward<byte, int>(env, game, options.MilestoneSpacing, options.MilestoneReward);
        env = new StagnationLimit<byte, int>(env, game, options.StagnationPixels, TimeSpan.FromSeconds(options.StagnationSeconds));
        env = new WallTimeLimit<byte, int>(env, game, TimeSpan.FromSeconds(options.TimeCapSeconds));
        return options.PixelsOnly
            ? new FrameStackObservation<byte, int>(env, options.FrameStack)
            : new DictFrameStackObservation<int>(env, SuperTuxEnv.FramesPart, options.FrameStack);
    }
}

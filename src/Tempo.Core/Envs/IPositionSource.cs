namespace Tempo.Core.Envs;

/// <summary>Where the player is now, in the game's world coordinates (pixels; x grows to the right, y downwards).</summary>
/// <remarks>
/// What the progress wrappers (<see cref="Wrappers.Progress.TeleportDeath{TObservation, TAction}"/> and its siblings) read
/// after each step. A game env that reads positions from memory implements it; tests use a fake.
/// </remarks>
public interface IPositionSource
{
    /// <summary>The player's x after the most recent step or reset.</summary>
    float X { get; }

    /// <summary>The player's y after the most recent step or reset.</summary>
    float Y { get; }

    /// <summary>Whether the player reached the level's goal: an episode that ends with it ended in success, not death.</summary>
    bool ReachedGoal { get; }
}

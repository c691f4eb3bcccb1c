namespace Tempo.Games.Input;

/// <summary>A game's own pause (a key, a menu): what a game env's <c>IPausable</c> and the idle safety call.</summary>
public interface IGamePause
{
    /// <summary>Pauses the game; when it returns, the game's time has stopped.</summary>
    void Pause();

    /// <summary>Unpauses the game; when it returns, the game's time runs again.</summary>
    void Resume();
}

namespace Tempo.Games.Memory;

/// <summary>A game's memory could not be read, or a pointer chain did not lead where its file says.</summary>
public sealed class GameMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GameMemoryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GameMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GameMemoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Tempo.Runtime.Runs;

/// <summary>The run folder cannot be used: it holds another run, it is a file, or it cannot be written. The message says what to do instead.</summary>
/// <remarks>An <see cref="IOException"/>, so callers that report file-system problems as one line report this one too.</remarks>
public sealed class RunFolderException : IOException
{
    /// <summary>Creates the exception with a message that names the folder and what to do.</summary>
    public RunFolderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the file-system error behind it.</summary>
    public RunFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message (prefer the constructors that name the folder).</summary>
    public RunFolderException()
        : base("The run folder cannot be used.")
    {
    }
}

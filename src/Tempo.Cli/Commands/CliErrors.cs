namespace Tempo.Cli.Commands;

/// <summary>Turns user errors into one readable line on standard error and a non-zero exit code.</summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad input (unknown id, invalid option values, unreadable files).</summary>
    public const int UsageError = 2;

    /// <summary>The exit code of a run stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Writes <paramref name="message"/> as an error line and returns <see cref="UsageError"/>.</summary>
    public static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return UsageError;
    }

    /// <summary>Runs a command body; user errors become one error line and <see cref="UsageError"/>, never a stack trace.</summary>
    /// <remarks>
    /// User errors are argument and data errors (our validation of user input, config files, checkpoints) and the file
    /// system's refusals (a missing folder or program, a file where a folder should be, no permission; run folders in use
    /// are <see cref="Runtime.Runs.RunFolderException"/>, an <see cref="IOException"/>). Anything else is a bug and keeps its trace.
    /// </remarks>
    public static int Guard(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ArgumentException exception)
        {
            // The message already names the problem; drop the " (Parameter 'x')" suffix meant for programmers.
            var message = exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
            return Fail(error, message);
        }
        catch (InvalidDataException exception)
        {
            return Fail(error, exception.Message);
        }
        catch (IOException exception)
        {
            return Fail(error, exception.Message);
        }
        catch (UnauthorizedAccessException exception)
        {
            return Fail(error, exception.Message);
        }
    }
}

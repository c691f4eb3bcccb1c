namespace Tempo.Cli.Commands;

/// <summary>Turns user errors into one readable line on standard error and a non-zero exit code.</summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad input (unknown id, invalid option values, unreadable files).</summary>
    public const int UsageError = 2;

    /// <summary>Writes <paramref name="message"/> as an error line and returns <see cref="UsageError"/>.</summary>
    public static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return UsageError;
    }

    /// <summary>Runs a command body; argument and data errors (our validation of user input) become an error line.</summary>
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
        catch (FileNotFoundException exception)
        {
            return Fail(error, exception.Message);
        }
    }
}

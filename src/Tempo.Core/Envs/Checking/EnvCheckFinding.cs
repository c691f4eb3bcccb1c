namespace Tempo.Core.Envs.Checking;

/// <summary>What one check of <see cref="EnvChecker"/> found: a problem, or why the check was skipped.</summary>
/// <param name="Check">The check.</param>
/// <param name="Message">What went wrong (with the offending values), or why the check could not run.</param>
public sealed record EnvCheckFinding(EnvCheck Check, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Check}: {Message}";
}

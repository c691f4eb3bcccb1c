using System.Text;

namespace Tempo.Core.Envs.Checking;

/// <summary>The outcome of <see cref="EnvChecker.Check{TObservation, TAction}"/>: every check either passed, found a problem, or was skipped.</summary>
public sealed class EnvCheckReport
{
    internal EnvCheckReport(string envName, IReadOnlyList<EnvCheck> passed, IReadOnlyList<EnvCheckFinding> problems, IReadOnlyList<EnvCheckFinding> skipped)
    {
        EnvName = envName;
        Passed = passed;
        Problems = problems;
        Skipped = skipped;
    }

    /// <summary>The checked env's description (its <see cref="object.ToString"/>).</summary>
    public string EnvName { get; }

    /// <summary>The checks that ran and found nothing wrong.</summary>
    public IReadOnlyList<EnvCheck> Passed { get; }

    /// <summary>The problems found, at most one per check (its message lists every failing case).</summary>
    public IReadOnlyList<EnvCheckFinding> Problems { get; }

    /// <summary>The checks that could not run, with the reason (for example, no episode ended within the step budget).</summary>
    public IReadOnlyList<EnvCheckFinding> Skipped { get; }

    /// <summary>Whether no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Whether <paramref name="check"/> found a problem.</summary>
    public bool Failed(EnvCheck check) => Problems.Any(p => p.Check == check);

    /// <summary>Throws an <see cref="InvalidOperationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new InvalidOperationException(ToString());
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(IsValid ? "The env passed the checks: " : $"The env failed {Problems.Count} check(s): ").Append(EnvName);
        foreach (var problem in Problems)
        {
            text.AppendLine().Append("  problem ").Append(problem);
        }

        foreach (var skip in Skipped)
        {
            text.AppendLine().Append("  skipped ").Append(skip);
        }

        return text.ToString();
    }
}

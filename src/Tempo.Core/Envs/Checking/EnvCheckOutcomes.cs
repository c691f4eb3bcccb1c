namespace Tempo.Core.Envs.Checking;

/// <summary>The outcome of each check during one run: passed, failed (the first problem wins over a pass) or skipped.</summary>
internal sealed class EnvCheckOutcomes
{
    private readonly Outcome[] _outcomes = new Outcome[Enum.GetValues<EnvCheck>().Length];
    private readonly string?[] _messages = new string?[Enum.GetValues<EnvCheck>().Length];

    private enum Outcome
    {
        NotRun,
        Passed,
        Failed,
        Skipped,
    }

    public void Pass(EnvCheck check)
    {
        if (_outcomes[(int)check] == Outcome.NotRun)
        {
            _outcomes[(int)check] = Outcome.Passed;
        }
    }

    public void Fail(EnvCheck check, string message)
    {
        if (_outcomes[(int)check] != Outcome.Failed)
        {
            _outcomes[(int)check] = Outcome.Failed;
            _messages[(int)check] = message;
        }
    }

    public void Skip(EnvCheck check, string reason)
    {
        if (_outcomes[(int)check] == Outcome.NotRun)
        {
            _outcomes[(int)check] = Outcome.Skipped;
            _messages[(int)check] = reason;
        }
    }

    public void PassOrFail(EnvCheck check, string? problem)
    {
        if (problem is null)
        {
            Pass(check);
        }
        else
        {
            Fail(check, problem);
        }
    }

    public void PassOrFail(EnvCheck check, List<string> problems) =>
        PassOrFail(check, problems.Count == 0 ? null : string.Join(" ", problems));

    public EnvCheckReport ToReport(string envName)
    {
        var passed = new List<EnvCheck>();
        var problems = new List<EnvCheckFinding>();
        var skipped = new List<EnvCheckFinding>();
        foreach (var check in Enum.GetValues<EnvCheck>())
        {
            var i = (int)check;
            switch (_outcomes[i])
            {
                case Outcome.Passed:
                    passed.Add(check);
                    break;
                case Outcome.Failed:
                    problems.Add(new EnvCheckFinding(check, _messages[i]!));
                    break;
                case Outcome.Skipped:
                    skipped.Add(new EnvCheckFinding(check, _messages[i]!));
                    break;
                default:
                    skipped.Add(new EnvCheckFinding(check, "not run, because the spaces or Reset failed"));
                    break;
            }
        }

        return new EnvCheckReport(envName, passed, problems, skipped);
    }
}

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>One ordered record of every call the envs, the policy, the learner and the callbacks receive.</summary>
internal sealed class CallLog
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries => _entries;

    public void Add(string entry) => _entries.Add(entry);
}

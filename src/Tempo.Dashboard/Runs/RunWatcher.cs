namespace Tempo.Dashboard.Runs;

/// <summary>The dashboard's run folders under one name each (a second folder of the same name gets <c>-2</c>).</summary>
internal sealed class RunWatcher
{
    private readonly WatchedRun[] _runs;

    public RunWatcher(IEnumerable<string> directories)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        _runs = directories.Select(directory =>
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
            var name = Path.GetFileName(full);
            var unique = name;
            for (var i = 2; !taken.Add(unique); i++)
            {
                unique = $"{name}-{i}";
            }

            return new WatchedRun(unique, full);
        }).ToArray();
    }

    public IReadOnlyList<WatchedRun> Runs => _runs;

    public WatchedRun? Find(string name) => Array.Find(_runs, run => run.Name == name);
}

namespace Tempo.Tests.Shared;

/// <summary>Locates the reference fixtures: an environment variable when set, else tests/fixtures inside the repository.</summary>
internal static class FixturePaths
{
    /// <summary>The folder of Gymnasium trajectories (TEMPO_GYM_FIXTURES overrides it).</summary>
    public static string Gymnasium => Resolve("TEMPO_GYM_FIXTURES", "gymnasium");

    /// <summary>The folder of PyTorch reference outputs (TEMPO_TORCH_FIXTURES overrides it).</summary>
    public static string Torch => Resolve("TEMPO_TORCH_FIXTURES", "torch");

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds Tempo.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Tempo.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No Tempo.slnx above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Returns the fixture file, failing (never skipping) when it is missing.</summary>
    public static string Require(string folder, string fileName)
    {
        var path = Path.Combine(folder, fileName);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"Reference fixture {path} is missing; parity tests never pass without their fixtures.", path);
        }

        return path;
    }

    private static string Resolve(string variable, string name)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        var folder = string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(RepositoryRoot, "tests", "fixtures", name)
            : fromEnvironment;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Fixture folder {folder} does not exist (set {variable} to point elsewhere).");
        }

        return folder;
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Tempo.PublicApi.Tests;

/// <summary>
/// Each library's public surface against its approved text in <c>approved/</c>, so a change to it shows as a diff in
/// review. After an intended change, re-approve with
/// <c>TEMPO_APPROVE_PUBLIC_API=1 dotnet test tests/Tempo.PublicApi.Tests -c Release</c> and commit the changed files.
/// </summary>
/// <remarks>
/// An approval test rather than the PublicApiAnalyzers' Shipped/Unshipped files: engineers add public API on parallel
/// branches, and with the analyzer every merge would break the build until someone edits the files; here a merge
/// fails one test per library with the diff, and one command re-approves.
/// </remarks>
public sealed class PublicApiTests
{
    private const string ApproveVariable = "TEMPO_APPROVE_PUBLIC_API";

    public static TheoryData<string> Libraries => ["Tempo.Core", "Tempo.Nn", "Tempo.Algorithms", "Tempo.Runtime", "Tempo.Plotting", "Tempo.Redis", "Tempo.Games", "Tempo.Dashboard"];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void PublicApi_IsTheApprovedOne(string library)
    {
        var assembly = Assembly.Load(library);
        var actual = Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        var approvedPath = Path.Combine(ApprovedFolder(), $"{library}.txt");
        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            File.WriteAllText(approvedPath, actual);
            return;
        }

        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : string.Empty;
        if (approved == actual)
        {
            return;
        }

        Assert.Fail(
            $"The public API of {library} differs from {approvedPath}. If the change is intended, run "
            + $"'{ApproveVariable}=1 dotnet test tests/Tempo.PublicApi.Tests -c Release' and commit the file.\n"
            + Difference(approved, actual));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    /// <summary>The lines only the approved text has (-) and only the actual surface has (+).</summary>
    private static string Difference(string approved, string actual)
    {
        var before = approved.Split('\n');
        var after = actual.Split('\n');
        var removed = before.Except(after).Select(line => $"- {line}");
        var added = after.Except(before).Select(line => $"+ {line}");
        return string.Join('\n', removed.Concat(added));
    }

    private static string ApprovedFolder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "approved");
}

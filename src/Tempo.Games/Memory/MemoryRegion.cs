using System.Globalization;

namespace Tempo.Games.Memory;

/// <summary>One line of <c>/proc/PID/maps</c>: an address range, its permissions, and the file mapped there (if any).</summary>
/// <param name="Start">First address.</param>
/// <param name="End">One past the last address.</param>
/// <param name="Permissions">"rwxp"-style flags.</param>
/// <param name="FileOffset">Offset in the mapped file.</param>
/// <param name="Path">The mapped file, "[heap]" and the like, or empty for anonymous memory.</param>
public readonly record struct MemoryRegion(ulong Start, ulong End, string Permissions, ulong FileOffset, string Path)
{
    /// <summary>Size in bytes.</summary>
    public ulong Size => End - Start;

    /// <summary>Whether the region can be read.</summary>
    public bool IsReadable => Permissions.Length > 0 && Permissions[0] == 'r';

    /// <summary>Whether the region can be written (where game state lives).</summary>
    public bool IsWritable => Permissions.Length > 1 && Permissions[1] == 'w';

    /// <summary>Reads every region of process <paramref name="pid"/>.</summary>
    public static IReadOnlyList<MemoryRegion> ReadMaps(int pid)
    {
        var path = $"/proc/{pid}/maps";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GameMemoryException($"cannot read {path}: {e.Message}", e);
        }

        var regions = new List<MemoryRegion>(lines.Length);
        foreach (var line in lines)
        {
            regions.Add(Parse(line));
        }

        return regions;
    }

    /// <summary>Parses one maps line, e.g. "55d0c0a00000-55d0c0a21000 r--p 00000000 08:01 1234 /usr/games/supertux2".</summary>
    public static MemoryRegion Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var range = parts.Length >= 5 ? parts[0].Split('-') : [];
        if (range.Length != 2
            || !ulong.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end)
            || !ulong.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var offset))
        {
            throw new FormatException($"not a /proc/PID/maps line: '{line}'");
        }

        return new MemoryRegion(start, end, parts[1], offset, parts.Length == 6 ? parts[5].Trim() : "");
    }
}

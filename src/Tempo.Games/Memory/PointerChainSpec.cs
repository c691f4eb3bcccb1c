using System.Globalization;

namespace Tempo.Games.Memory;

/// <summary>The type of the value at the end of a pointer chain.</summary>
public enum ChainValueType
{
    /// <summary>A 32-bit IEEE float (positions, speeds).</summary>
    Float32,

    /// <summary>A 32-bit signed integer (counters: coins, lives).</summary>
    Int32,
}

/// <summary>
/// Where a value lives in a game's memory, as data: a static address (an exported symbol of a module, or an offset
/// from the module's base), then offsets: <c>a = static; for each offset o: a = *a + o</c>, and the value is read at the
/// final <c>a</c>. <c>[[[exe+0x5f6e40]+0x10]+0x0]+0x88</c> is symbol/offset 0x5f6e40 with offsets 0x10, 0x0, 0x88; no offsets
/// means the value is the static itself.
/// </summary>
/// <param name="Name">What the value is ("x", "coins").</param>
/// <param name="Module">The file name of the module the chain starts in ("supertux2").</param>
/// <param name="Symbol">An exported symbol of the module to start from, or null to start from <paramref name="BaseOffset"/>.</param>
/// <param name="BaseOffset">The static's offset from the module's load address when there is no symbol.</param>
/// <param name="Offsets">The offsets added after each dereference; the last one leads to the value.</param>
/// <param name="Type">The value's type.</param>
/// <param name="Expect">The value the chain must read when checked at start (the spawn x, the starting coins), or null for no check.</param>
/// <param name="Tolerance">How far from <paramref name="Expect"/> a read may be.</param>
public sealed record PointerChainSpec(
    string Name, string Module, string? Symbol, ulong BaseOffset, IReadOnlyList<long> Offsets, ChainValueType Type, double? Expect = null, double Tolerance = 0)
{
    /// <summary>Cheat Engine-style notation, e.g. <c>[[[supertux2:_ZN6Sector9s_currentE]+0x10]+0x0]+0x88 (float32)</c>.</summary>
    public string Describe()
    {
        var text = Module + ":" + (Symbol ?? Hex(BaseOffset));
        foreach (var offset in Offsets)
        {
            text = $"[{text}]{(offset < 0 ? "-" : "+")}{Hex((ulong)Math.Abs(offset))}";
        }

        return $"{text} ({(Type == ChainValueType.Float32 ? "float32" : "int32")})";
    }

    /// <summary>Formats a number as the chain files write it ("0x88").</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}

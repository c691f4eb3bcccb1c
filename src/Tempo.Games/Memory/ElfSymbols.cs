using System.Buffers.Binary;
using System.Text;

namespace Tempo.Games.Memory;

/// <summary>The exported (dynamic) symbols of a 64-bit little-endian ELF file, from its <c>.dynsym</c> section: present even in stripped binaries.</summary>
public sealed class ElfSymbols
{
    private const int ShtDynsym = 11;
    private const ushort EtDyn = 3;
    private const int SttObject = 1;
    private readonly Dictionary<string, ulong> _symbols;

    private ElfSymbols(Dictionary<string, ulong> symbols, IReadOnlyList<string> objects, bool positionIndependent)
    {
        _symbols = symbols;
        DataObjects = objects;
        IsPositionIndependent = positionIndependent;
    }

    /// <summary>The names of the data symbols (variables such as singletons' static pointers), where pointer chains start.</summary>
    public IReadOnlyList<string> DataObjects { get; }

    /// <summary>Whether symbol values are offsets from the load address (ET_DYN: PIE executables and libraries) rather than absolute addresses.</summary>
    public bool IsPositionIndependent { get; }

    /// <summary>The number of named symbols.</summary>
    public int Count => _symbols.Count;

    /// <summary>Every named symbol and its value.</summary>
    public IReadOnlyDictionary<string, ulong> All => _symbols;

    /// <summary>Reads the symbols of the ELF file at <paramref name="path"/>; throws naming the file when it is not a 64-bit little-endian ELF.</summary>
    public static ElfSymbols Read(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GameMemoryException($"cannot read '{path}': {e.Message}", e);
        }

        var span = file.AsSpan();
        if (span.Length < 64 || span[0] != 0x7F || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F' || span[4] != 2 || span[5] != 1)
        {
            throw new GameMemoryException($"'{path}' is not a 64-bit little-endian ELF file");
        }

        var type = BinaryPrimitives.ReadUInt16LittleEndian(span[16..]);
        var sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[40..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[58..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[60..]);
        var symbols = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var objects = new List<string>();
        for (var s = 0; s < sectionCount; s++)
        {
            var header = span.Slice((int)(sectionTable + ((long)s * sectionSize)), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtDynsym)
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var size = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
            var entrySize = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[56..]);
            var strings = span.Slice((int)(sectionTable + ((long)link * sectionSize)), sectionSize);
            var stringsOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(strings[24..]);
            for (var e = offset; e + entrySize <= offset + size; e += entrySize)
            {
                var nameIndex = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[e..]);
                var value = BinaryPrimitives.ReadUInt64LittleEndian(span[(e + 8)..]);
                if (nameIndex == 0 || value == 0)
                {
                    continue;
                }

                var name = span[(stringsOffset + nameIndex)..];
                var text = Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]);
                symbols[text] = value;
                if ((span[e + 4] & 0xF) == SttObject)
                {
                    objects.Add(text);
                }
            }
        }

        return new ElfSymbols(symbols, objects, type == EtDyn);
    }

    /// <summary>The symbol's value, or null when the file does not export it.</summary>
    public ulong? Find(string name) => _symbols.TryGetValue(name, out var value) ? value : null;

    /// <summary>The run-time address of a symbol in a module loaded at <paramref name="moduleBase"/>.</summary>
    public ulong AddressOf(ulong value, ulong moduleBase) => IsPositionIndependent ? moduleBase + value : value;
}

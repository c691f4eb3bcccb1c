using System.Buffers.Binary;
using Tempo.Games.Memory;

namespace Tempo.Games.Tests.Memory;

public sealed class ChainFileTests
{
    private const string Valid = """
        {"game": "test", "chains": [
          {"name": "x", "module": "game", "symbol": "player", "offsets": ["0x10", "0x0", "0x88"], "type": "float32", "expect": 96, "tolerance": 1},
          {"name": "coins", "module": "game", "base": "0x2000", "offsets": ["0x8"], "type": "int32"}
        ]}
        """;

    [Fact]
    public void Parses_chains_and_writes_them_back_the_same()
    {
        var file = ChainFile.Parse(Valid, "valid.json");
        Assert.Equal(2, file.Chains.Count);
        Assert.Equal([0x10L, 0x0, 0x88], file.Chains[0].Offsets);
        Assert.Equal("[[[game:player]+0x10]+0x0]+0x88 (float32)", file.Chains[0].Describe());
        Assert.Equal(0x2000UL, file.Chains[1].BaseOffset);

        var again = ChainFile.Parse(file.ToJson(), "written");
        Assert.Equal(file.Chains.Select(c => c.Describe()), again.Chains.Select(c => c.Describe()));
        Assert.Equal(96, again.Chains[0].Expect);
    }

    [Theory]
    [InlineData("""{"chains": [{"name": "x", "symbol": "s", "offsets": [], "type": "float32"}]}""", "\"module\" is missing")]
    [InlineData("""{"chains": [{"name": "x", "module": "m", "symbol": "s", "offsets": ["88"], "type": "float32"}]}""", "'88' is not a hex offset")]
    [InlineData("""{"chains": [{"name": "x", "module": "m", "symbol": "s", "offsets": [], "type": "double"}]}""", "'double'")]
    [InlineData("""{"chains": [{"name": "x", "module": "m", "symbol": "s", "base": "0x10", "offsets": [], "type": "int32"}]}""", "exactly one of \"symbol\" and \"base\"")]
    [InlineData("""{"chains": []}""", "non-empty \"chains\"")]
    [InlineData("""{"chains": [""", "not valid JSON")]
    public void A_wrong_file_is_one_line_naming_the_file_and_the_value(string json, string expected)
    {
        var error = Assert.Throws<GameMemoryException>(() => ChainFile.Parse(json, "bad.json"));
        Assert.Contains("bad.json", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Chains_follow_pointers_through_memory_and_validate_against_the_expected_value()
    {
        // A hand-made address space: module "game" at 0x1000, its static at +0x2000 points to A, [A+0x8] = B, value at B+0x4.
        var memory = new FakeMemory(moduleBase: 0x1000);
        memory.WritePointer(0x3000, 0x50000);
        memory.WritePointer(0x50008, 0x60000);
        memory.WriteInt(0x60004, 96);
        var ok = new ChainFile("t", [new PointerChainSpec("v", "game", null, 0x2000, [0x8, 0x4], ChainValueType.Int32, Expect: 96)]);
        var game = new GameMemory(memory, ok);
        Assert.Equal(96, game.Read(0));
        game.Validate();

        var wrong = new GameMemory(memory, ok with { Chains = [ok.Chains[0] with { Offsets = [0x8, 0x8] }] });
        var error = Assert.Throws<GameMemoryException>(wrong.Validate);
        Assert.Contains("chain 'v'", error.Message);
        Assert.Contains("expected 96", error.Message);

        var broken = new GameMemory(memory, ok with { Chains = [ok.Chains[0] with { Offsets = [0x10, 0x4] }] });
        Assert.False(broken.TryRead(0, out _));
        Assert.Contains("unreadable", Assert.Throws<GameMemoryException>(broken.Validate).Message);
    }

    [Fact]
    public void Maps_lines_parse_into_regions()
    {
        var region = MemoryRegion.Parse("55d0c0a00000-55d0c0a21000 rw-p 0001f000 08:01 1234                       /usr/games/supertux2");
        Assert.Equal(0x55d0c0a00000UL, region.Start);
        Assert.Equal(0x21000UL, region.Size);
        Assert.True(region.IsWritable);
        Assert.Equal(0x1f000UL, region.FileOffset);
        Assert.Equal("/usr/games/supertux2", region.Path);
        Assert.Equal("", MemoryRegion.Parse("7f0000000000-7f0000001000 r--p 00000000 00:00 0").Path);
        Assert.Throws<FormatException>(() => MemoryRegion.Parse("garbage"));
    }

    private sealed class FakeMemory(ulong moduleBase) : IProcessMemory
    {
        private readonly Dictionary<ulong, byte> _bytes = [];

        public int ProcessId => 1;

        public void WritePointer(ulong address, ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            Write(address, b);
        }

        public void WriteInt(ulong address, int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            Write(address, b);
        }

        public bool TryRead(ulong address, Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                if (!_bytes.TryGetValue(address + (ulong)i, out buffer[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public ulong ModuleBase(string module) => module == "game" ? moduleBase : throw new GameMemoryException($"module '{module}' is not loaded");

        public string ModulePath(string module) => "/nonexistent/" + module;

        public void Dispose()
        {
        }

        private void Write(ulong address, ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                _bytes[address + (ulong)i] = bytes[i];
            }
        }
    }
}

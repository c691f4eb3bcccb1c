using System.Runtime.InteropServices;
using Tempo.Games.Memory;
using Tempo.Games.Scanning;

namespace Tempo.Games.Tests.Scanning;

public sealed class ChainCheckTests
{
    private const ulong ModuleBase = 0x1000;
    private const ulong Static = ModuleBase + 0x10;
    private const ulong OldObject = 0x1100;
    private const ulong NewObject = 0x1200;

    [Fact]
    public void A_chain_may_move_to_a_new_object_in_a_step_that_says_nothing_and_is_checked_there_afterwards()
    {
        var memory = new ArrayMemory();
        var check = Start(memory);

        // A death: the game frees Tux and makes a new one elsewhere; the static now points there.
        check.BeginStep();
        memory.Write(NewObject, 5);
        memory.WritePointer(Static, NewObject);
        check.Sample(ScanChange.Any);
        check.EndStep(ScanChange.Any);
        Assert.True(check.Alive[0]);

        // Later steps follow the new object: it grows, while the old one (garbage now) would not.
        check.BeginStep();
        memory.Write(NewObject, 9);
        check.EndStep(ScanChange.Increased);
        Assert.True(check.Alive[0]);
    }

    [Fact]
    public void A_chain_that_moves_in_a_step_that_expects_a_change_is_dropped()
    {
        var memory = new ArrayMemory();
        var check = Start(memory);

        check.BeginStep();
        memory.Write(NewObject, 5);
        memory.WritePointer(Static, NewObject);
        check.EndStep(ScanChange.Unchanged);

        Assert.False(check.Alive[0]);
    }

    private static ChainCheck Start(ArrayMemory memory)
    {
        memory.Write(OldObject, 5);
        memory.WritePointer(Static, OldObject);
        var chains = new ChainFile("test", [new PointerChainSpec("coins", "game", null, 0x10, [0], ChainValueType.Int32)]);
        return new ChainCheck(new GameMemory(memory, chains), minChange: 1);
    }

    private sealed class ArrayMemory : IProcessMemory
    {
        private readonly byte[] _bytes = new byte[0x1000];

        public int ProcessId => 1;

        public void Write(ulong address, int value) => MemoryMarshal.Write(_bytes.AsSpan((int)(address - ModuleBase)), value);

        public void WritePointer(ulong address, ulong value) => MemoryMarshal.Write(_bytes.AsSpan((int)(address - ModuleBase)), value);

        public bool TryRead(ulong address, Span<byte> buffer)
        {
            if (address < ModuleBase || address - ModuleBase + (ulong)buffer.Length > (ulong)_bytes.Length)
            {
                return false;
            }

            _bytes.AsSpan((int)(address - ModuleBase), buffer.Length).CopyTo(buffer);
            return true;
        }

        ulong IProcessMemory.ModuleBase(string module) => ModuleBase;

        public string ModulePath(string module) => "/nonexistent/" + module;

        public void Dispose()
        {
        }
    }
}

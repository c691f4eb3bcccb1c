using System.Diagnostics;
using System.Runtime.InteropServices;
using Tempo.Games.Memory;
using Tempo.Games.Scanning;

namespace Tempo.Games.Tests.Scanning;

public sealed class SettleWatchTests
{
    private const ulong Address = 0x1000;

    // The nominal tick the tests give the watch; at rest needs QuietTicks of them (0.8 s) of wall time at the least, far
    // longer than a look and a judgement take even on a busy machine (a first call's JIT is milliseconds).
    private static readonly TimeSpan _tick = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_value_that_keeps_moving_is_never_at_rest_and_one_that_stopped_is_after_the_quiet_ticks()
    {
        var memory = new OneValueMemory();
        var watch = new SettleWatch(memory, _tick);
        watch.Begin([[Address]]);
        watch.Release();

        // Moving: a change at every look, each look more than the quiet time after the release.
        var quiet = _tick * SettleWatch.QuietTicks;
        var sinceChange = new Stopwatch();
        for (var i = 0; i < 5; i++)
        {
            memory.Value++;
            sinceChange.Restart();
            watch.Look();
            Assert.False(watch.IsStill(), $"at rest while the value changed at look {i}");
            Thread.Sleep(quiet / 4);
        }

        // Stopped: once the quiet time has gone by, the watch says at rest. (The "game" is this test process, whose main
        // thread does not run the test, so no run time per tick is measured and the quiet counts in wall time.)
        while (!watch.IsStill())
        {
            watch.Look();
            Assert.True(sinceChange.Elapsed < TimeSpan.FromSeconds(30), "never at rest after the value stopped");
        }

        Assert.True(sinceChange.Elapsed >= quiet, $"at rest {sinceChange.Elapsed.TotalMilliseconds:F1} ms after the last change, less than {SettleWatch.QuietTicks} ticks");
    }

    [Fact]
    public void Nothing_watched_means_no_judgement()
    {
        var watch = new SettleWatch(new OneValueMemory(), _tick);
        watch.Begin([Enumerable.Range(0, SettleWatch.MaxWatched + 1).Select(i => Address + (4 * (ulong)i)).ToArray()]);
        Assert.False(watch.IsWatching);
    }

    private sealed class OneValueMemory : IProcessMemory
    {
        public int Value { get; set; }

        // The watch reads the run time of this process's main thread as the game's.
        public int ProcessId => Environment.ProcessId;

        public bool TryRead(ulong address, Span<byte> buffer)
        {
            if (address != Address)
            {
                return false;
            }

            MemoryMarshal.Write(buffer, Value);
            return true;
        }

        public ulong ModuleBase(string module) => 0;

        public string ModulePath(string module) => "/nonexistent/" + module;

        public void Dispose()
        {
        }
    }
}

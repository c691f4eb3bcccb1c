using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tempo.Games.Memory;

namespace Tempo.Games.Scanning;

/// <summary>
/// Decides when the game has come to rest after a scripted input, so that a scan step's snapshot is not taken while Tux
/// still slides: the watched values (the targets' candidates, once few enough to read one by one) have not changed for
/// <see cref="QuietTicks"/> of the game's ticks. Ticks are counted in the game's own CPU time (its main thread's run time,
/// <c>/proc/PID/task/PID/schedstat</c>), not in wall time: a loaded machine stalls the game for whole time slices, and a
/// wait in wall time would end during a stall while Tux still slides. The run time one tick takes is measured while
/// values move (they change at every tick); until a move was seen, a tick is the game's nominal tick of wall time.
/// </summary>
internal sealed class SettleWatch
{
    /// <summary>
    /// Still for this many ticks means at rest: a moving value changes every tick, so 8 ticks without a change leave room
    /// for a look that merges two ticks and for a tick cheaper than the median, and cost 0.125 s at SuperTux's 64 Hz.
    /// </summary>
    public const int QuietTicks = 8;

    /// <summary>Targets with more candidates than this are not watched (one read each per look; 8192 reads take a few ms).</summary>
    public const int MaxWatched = 8192;

    private readonly IProcessMemory _memory;
    private readonly long _nominalTick;
    private readonly string _schedstat;
    private readonly List<long> _runPerTick = [];
    private ulong[] _addresses = [];
    private uint[] _values = [];
    private long _lastChange;
    private long _lastChangeRun;
    private long _tickRun;
    private long _released;
    private long _releasedRun;

    /// <param name="memory">The game's memory.</param>
    /// <param name="nominalTick">The game's logic step at full speed (SuperTux: 1/64 s).</param>
    public SettleWatch(IProcessMemory memory, TimeSpan nominalTick)
    {
        _memory = memory;
        _nominalTick = Math.Max(1, (long)(nominalTick.TotalSeconds * Stopwatch.Frequency));
        _schedstat = $"/proc/{memory.ProcessId}/task/{memory.ProcessId}/schedstat";
    }

    /// <summary>How often to look: twice a nominal tick, so a look sees most ticks at full speed.</summary>
    public TimeSpan LookPeriod => Stopwatch.GetElapsedTime(0, _nominalTick / 2);

    /// <summary>Whether any value is watched (without one, a settle waits its whole maximum).</summary>
    public bool IsWatching => _addresses.Length > 0;

    /// <summary>The game's run time per tick measured so far (over every move seen), or zero before one.</summary>
    public TimeSpan RunPerTick => TimeSpan.FromTicks(_tickRun / 100);

    /// <summary>Starts a step: watches the candidates of every target that has at most <see cref="MaxWatched"/>.</summary>
    public void Begin(IEnumerable<IReadOnlyList<ulong>> candidates)
    {
        _addresses = [.. candidates.Where(list => list.Count <= MaxWatched).SelectMany(list => list)];
        _values = new uint[_addresses.Length];
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < _addresses.Length; i++)
        {
            _values[i] = _memory.TryRead(_addresses[i], bytes) ? MemoryMarshal.Read<uint>(bytes) : 0;
        }

        _lastChange = 0;
    }

    /// <summary>Reads the watched values; notes the time and the game's run time when any changed.</summary>
    public void Look()
    {
        if (_addresses.Length == 0)
        {
            return;
        }

        var changed = false;
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < _addresses.Length; i++)
        {
            // A value that cannot be read (freed with its object) counts as still: it will not move again.
            if (_memory.TryRead(_addresses[i], bytes) && MemoryMarshal.Read<uint>(bytes) != _values[i])
            {
                _values[i] = MemoryMarshal.Read<uint>(bytes);
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        var run = GameRunNanoseconds();
        if (_lastChange != 0 && run > _lastChangeRun)
        {
            // While values move, changes come a tick apart; a look that catches the game mid-tick splits one in two
            // shorter gaps (or other threads write a watched value), and a still stretch between two moves gives one long
            // gap: the 90th percentile is a whole tick as long as more than a tenth of the gaps are whole ticks and still
            // stretches are fewer than a tenth.
            _runPerTick.Add(run - _lastChangeRun);
            _tickRun = _runPerTick.Order().ElementAt(_runPerTick.Count * 9 / 10);
        }

        _lastChange = Stopwatch.GetTimestamp();
        _lastChangeRun = run;
    }

    /// <summary>Notes the release of the step's keys: the quiet counts from here until a value changes after it.</summary>
    public void Release()
    {
        _released = Stopwatch.GetTimestamp();
        _releasedRun = _addresses.Length > 0 ? GameRunNanoseconds() : 0;
    }

    /// <summary>Whether the values have been still for <see cref="QuietTicks"/> ticks since the last change, or since the release when none came after it.</summary>
    public bool IsStill()
    {
        var changedSince = _lastChange > _released;
        if (Stopwatch.GetTimestamp() - (changedSince ? _lastChange : _released) < QuietTicks * _nominalTick)
        {
            return false;
        }

        // Before any move was measured, wall time is all there is.
        return _tickRun == 0 || GameRunNanoseconds() - (changedSince ? _lastChangeRun : _releasedRun) >= QuietTicks * _tickRun;
    }

    private long GameRunNanoseconds()
    {
        try
        {
            var text = File.ReadAllText(_schedstat);
            return long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            // The game exited: its run time no longer grows, and the settle ends at its maximum.
            return 0;
        }
    }
}

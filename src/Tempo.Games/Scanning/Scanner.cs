using System.Diagnostics;
using Tempo.Games.Input;
using Tempo.Games.Memory;

namespace Tempo.Games.Scanning;

/// <summary>What a scan found: a chain file the memory back end loads, and what narrowed to what.</summary>
/// <param name="Chains">The best chain per target that has one.</param>
/// <param name="CandidateCounts">Per target, the candidates left after each step.</param>
/// <param name="Alternatives">Per target, every chain found, best first.</param>
/// <param name="Elapsed">How long the scan took.</param>
public sealed record ScanResult(ChainFile Chains, IReadOnlyDictionary<string, IReadOnlyList<long>> CandidateCounts, IReadOnlyDictionary<string, IReadOnlyList<PointerChainSpec>> Alternatives, TimeSpan Elapsed);

/// <summary>
/// Finds where a running game keeps values without being told: a differential scan (<see cref="DifferentialScan"/>)
/// driven by a script of key presses and expected changes (<see cref="ScanScript"/>), then a pointer-chain search from
/// the game module's exported statics (<see cref="PointerSearch"/>). What <c>tempo scan --pid PID</c> runs.
/// </summary>
/// <param name="memory">The game's memory.</param>
/// <param name="keyboard">The game's keyboard (the scripted steps press keys).</param>
/// <param name="module">The game's main module file name, where chains start.</param>
public sealed class Scanner(IProcessMemory memory, IKeyboard keyboard, string module)
{
    private byte[][]? _spare;

    /// <summary>Scans candidates left after the steps only if there are at most this many (more means the script does not tell the value apart).</summary>
    public int MaxCandidatesForChains { get; init; } = 100_000;

    /// <summary>
    /// Runs the script's steps to narrow the candidates, searches chains to them, then runs its verify steps: candidates
    /// narrow further and only the chains whose value, followed anew at every step, changes as the script says survive
    /// (chains through buffers the game reuses for other things fail here).
    /// </summary>
    /// <param name="script">Targets and steps.</param>
    /// <param name="game">Free text naming the game and build, written into the chain file.</param>
    /// <param name="log">Progress lines (candidate counts per step), or null.</param>
    public ScanResult Run(ScanScript script, string game, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        var started = Stopwatch.GetTimestamp();
        var userLog = log;
        log = userLog is null ? null : line => userLog($"{Stopwatch.GetElapsedTime(started).TotalSeconds,6:F1} s  {line}");
        var scans = DifferentialScan.Start(memory, script.Targets.Select(t => t.Type).ToArray(), MemoryRegion.ReadMaps(memory.ProcessId));
        var counts = script.Targets.ToDictionary(t => t.Name, _ => new List<long>());
        RunPass(script.Steps, script.Tick, script.Targets, scans, counts, null, "narrow", log);

        var search = new PointerSearch(memory, MemoryRegion.ReadMaps(memory.ProcessId));
        var chains = new GameMemory?[script.Targets.Count];
        for (var t = 0; t < script.Targets.Count; t++)
        {
            var target = script.Targets[t];
            var candidates = scans[t].Candidates;
            if (candidates.Count == 0 || candidates.Count > MaxCandidatesForChains)
            {
                log?.Invoke($"{target.Name}: {candidates.Count:N0} candidates; no chain search (the script does not tell this value apart)");
                continue;
            }

            var found = search.Find(module, candidates.ToArray(), target.Name, target.Type).SelectMany(kv => kv.Value).ToArray();
            log?.Invoke($"{target.Name}: {candidates.Count:N0} candidates, {found.Length:N0} chains");
            chains[t] = found.Length == 0 ? null : new GameMemory(memory, new ChainFile(game, found.Select((c, i) => c with { Name = $"{c.Name}#{i}" }).ToArray()));
        }

        var (alive, moved) = RunPass(script.Verify, script.Tick, script.Targets, scans, counts, chains, "verify", log);
        _spare = null;
        var best = new List<PointerChainSpec>();
        var alternatives = new Dictionary<string, IReadOnlyList<PointerChainSpec>>();
        for (var t = 0; t < script.Targets.Count; t++)
        {
            var target = script.Targets[t];
            PointerChainSpec[] survivors = [];
            if (chains[t] is { } c)
            {
                var verified = c.Chains.Select((chain, i) => (chain, i, address: c.TryAddress(i, out var a) ? a : 0)).Where(p => alive[t]![p.i]).ToArray();
                var routes = verified.GroupBy(p => p.address).ToDictionary(g => g.Key, g => g.Select(p => p.chain.Symbol ?? PointerChainSpec.Hex(p.chain.BaseOffset)).Distinct().Count());
                survivors = [.. verified
                    .OrderByDescending(p => routes[p.address] >= 2).ThenBy(p => target.Type == ChainValueType.Int32 ? moved[t]![p.i] : 0).ThenBy(p => Rank(p.chain))
                    .Select(p => p.chain with { Name = target.Name })];
            }

            alternatives[target.Name] = survivors;
            log?.Invoke($"{target.Name}: {survivors.Length} chains verified" + (survivors.Length > 0 ? $"; best {survivors[0].Describe()}" : ""));
            if (survivors.Length > 0)
            {
                best.Add(survivors[0]);
            }
        }

        return new ScanResult(
            new ChainFile(game, best),
            counts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value),
            alternatives,
            Stopwatch.GetElapsedTime(started));
    }

    private (bool[]?[] Alive, double[]?[] Moved) RunPass(IReadOnlyList<ScanStep> steps, TimeSpan tick, IReadOnlyList<ScanTarget> targets, IReadOnlyList<DifferentialScan> scans, Dictionary<string, List<long>> counts, GameMemory?[]? chains, string pass, Action<string>? log)
    {
        var checks = new ChainCheck?[targets.Count];
        var watch = new SettleWatch(memory, tick);
        for (var t = 0; t < targets.Count; t++)
        {
            checks[t] = chains?[t] is { } c ? new ChainCheck(c, targets[t].MinChange) : null;
        }

        for (var s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            foreach (var check in checks)
            {
                check?.BeginStep();
            }

            var untilCheck = step.Until is { } until ? checks[IndexOf(targets, until.Target)] : null;
            watch.Begin(scans.Select(scan => scan.Candidates));
            var settled = Hold(
                step,
                watch,
                holding =>
                {
                    // The target that ends the hold first, so that the hold ends as soon as it reads past its bound.
                    untilCheck?.SampleIfDue(step.Expect.GetValueOrDefault(step.Until!.Target, ScanChange.Any), holding ? step.Hold : null);
                    for (var t = 0; t < targets.Count; t++)
                    {
                        checks[t]?.SampleIfDue(step.Expect.GetValueOrDefault(targets[t].Name, ScanChange.Any), holding ? step.Hold : null);
                    }
                },
                () => untilCheck is not null && untilCheck.TryValue(out var value) && step.Until!.IsMet(value));
            // Two sets of region buffers take turns (173 MB each on SuperTux): a fresh set per step would keep the GC
            // busy on both cores while the game needs one to see the scripted keys in time.
            var bulk = scans.FirstOrDefault(scan => scan.NeedsSnapshot);
            var fresh = bulk?.ReadAll(_spare);
            _spare = bulk?.Snapshot;
            for (var t = 0; t < targets.Count; t++)
            {
                var target = targets[t];
                var change = step.Expect.GetValueOrDefault(target.Name, ScanChange.Any);
                scans[t].Narrow(change, fresh);
                counts[target.Name].Add(scans[t].CandidateCount);
                checks[t]?.EndStep(change);
            }

            foreach (var (check, target) in checks.Zip(targets))
            {
                if (check?.TakeFirstDrop() is { } drop)
                {
                    log?.Invoke($"{pass} step {s + 1}: {target.Name}: dropped, e.g., {drop}");
                }
            }

            var rest = watch.IsWatching ? $"at rest {settled.TotalSeconds:F2} s after release (the game runs {watch.RunPerTick.TotalMilliseconds:F1} ms a tick)" : $"settled {settled.TotalSeconds:F2} s (nothing watched)";
            log?.Invoke($"{pass} step {s + 1}/{steps.Count} ({(step.Keys.Count == 0 ? "wait" : string.Join('+', step.Keys))}), {rest}: "
                + string.Join(", ", targets.Select((t, i) => $"{t.Name} {scans[i].CandidateCount:N0}" + (checks[i] is { } c ? $" ({c.AliveCount} chains{(c.TryValue(out var v) ? $", reads {v:G6}" : "")})" : ""))));
        }

        return (checks.Select(c => c?.Alive).ToArray(), checks.Select(c => c?.Moved).ToArray());
    }

    // Chains rank first by whether two or more different statics have a verified route to their value's address: the
    // game's real state (the player, its status) is reachable from several singletons, a cache or a camera that happened
    // to follow the script only from its owner. Then, for int32 targets (counts), by how much the value moved over the
    // verify steps, least first (a count moves by one per thing counted, derived values by more); not for float32
    // targets (positions), where a copy that lags or is clamped (a camera) moves less than the real thing. Then fewer
    // dereferences (they break less often), then small offsets.
    private static (int, long) Rank(PointerChainSpec chain) => (chain.Offsets.Count, chain.Offsets.Sum(o => Math.Abs(o)));

    private static int IndexOf(IReadOnlyList<ScanTarget> targets, string name)
    {
        for (var t = 0; t < targets.Count; t++)
        {
            if (targets[t].Name == name)
            {
                return t;
            }
        }

        throw new ArgumentException($"no scan target named '{name}'", nameof(name));
    }

    // Presses the step's keys for its hold (or until its bound is met), releases them, then waits until the game is at
    // rest (the watch), at most the step's settle. Chains are sampled every sample period, the watch looked at about
    // twice a tick (but idle at least three times as long as a look takes, so it never takes much of the core the game
    // needs).
    private TimeSpan Hold(ScanStep step, SettleWatch watch, Action<bool> sample, Func<bool> done)
    {
        var codes = step.Keys.Select(keyboard.Resolve).ToArray();
        foreach (var code in codes)
        {
            keyboard.Send(code, true);
        }

        keyboard.Flush();
        Wait(step.Hold, watch, () => sample(true), done);
        foreach (var code in codes)
        {
            keyboard.Send(code, false);
        }

        keyboard.Flush();
        var released = Stopwatch.GetTimestamp();
        watch.Release();
        Wait(step.Settle, watch, () => sample(false), () => watch.IsWatching && watch.IsStill());
        return Stopwatch.GetElapsedTime(released);
    }

    private static void Wait(TimeSpan atMost, SettleWatch watch, Action sample, Func<bool> done)
    {
        var started = Stopwatch.GetTimestamp();
        var lookPeriod = watch.LookPeriod;
        while (true)
        {
            sample();
            if (done() || Stopwatch.GetElapsedTime(started) >= atMost)
            {
                return;
            }

            var look = Stopwatch.GetTimestamp();
            watch.Look();
            var lookTook = Stopwatch.GetElapsedTime(look);
            if (done() || Stopwatch.GetElapsedTime(started) >= atMost)
            {
                return;
            }

            var idle = lookTook * 3 > lookPeriod ? lookTook * 3 : lookPeriod;
            var left = atMost - Stopwatch.GetElapsedTime(started);
            Thread.Sleep(left < idle ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : idle);
        }
    }
}

/// <summary>
/// Follows every candidate chain of one target through the verify steps: at each sample within a step the value must
/// move only the way the step says (never down while it should increase, never at all while it should stay), and
/// across the step by at least the target's least change; and the chain must keep leading to the same address (a chain
/// through a buffer the game reuses for other things moves, and would read garbage later), except in a step that says
/// nothing about the value (<see cref="ScanChange.Any"/>), where the game may recreate the object (a death).
/// </summary>
internal sealed class ChainCheck
{
    private readonly GameMemory _chains;
    private readonly double _minChange;
    private readonly double[] _stepStart;
    private readonly double[] _last;
    private readonly ulong[] _address;
    private static readonly TimeSpan _samplePeriod = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<ulong, ulong> _pointers = [];
    private string? _firstDrop;
    private TimeSpan _lastTook;
    private long _due;

    public ChainCheck(GameMemory chains, double minChange)
    {
        _chains = chains;
        _minChange = minChange;
        Alive = new bool[chains.Chains.Count];
        Moved = new double[chains.Chains.Count];
        _stepStart = new double[Alive.Length];
        _last = new double[Alive.Length];
        _address = new ulong[Alive.Length];
        for (var i = 0; i < Alive.Length; i++)
        {
            Alive[i] = chains.TryRead(i, _pointers, out _address[i], out _last[i]);
        }
    }

    public bool[] Alive { get; }

    public double[] Moved { get; }

    public int AliveCount => Alive.Count(a => a);

    /// <summary>The median of the values the chains still alive read last (one stale chain among good ones does not move it); false when none is alive.</summary>
    public bool TryValue(out double value)
    {
        var alive = _last.Where((_, i) => Alive[i]).Order().ToArray();
        value = alive.Length > 0 ? alive[alive.Length / 2] : 0;
        return alive.Length > 0;
    }

    public void BeginStep() => _last.CopyTo(_stepStart, 0);

    /// <summary>
    /// Samples when due: every 100 ms, or four times as long as the last sample took (thousands of chains to a count's
    /// candidates take seconds to follow on a loaded machine, and would take the core the game needs); not at all within
    /// a hold (<paramref name="hold"/> given) that a sample would stretch by more than a tenth, as the keys are released
    /// only between samples. <see cref="EndStep"/> samples in any case.
    /// </summary>
    public void SampleIfDue(ScanChange change, TimeSpan? hold)
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _due || (hold is { } h && _lastTook * 10 > h))
        {
            return;
        }

        Sample(change);
        _lastTook = Stopwatch.GetElapsedTime(now);
        var period = _lastTook * 4 > _samplePeriod ? _lastTook * 4 : _samplePeriod;
        _due = now + (long)(period.TotalSeconds * Stopwatch.Frequency);
    }

    public void Sample(ScanChange change)
    {
        // One look: chains sharing links read each pointer once (a scan's chains to thousands of candidates start from
        // a few statics), and the game moves on between looks.
        _pointers.Clear();
        for (var i = 0; i < Alive.Length; i++)
        {
            if (!Alive[i])
            {
                continue;
            }

            if (!_chains.TryRead(i, _pointers, out var address, out var now))
            {
                Drop(i, "became unreadable");
                continue;
            }

            if (address != _address[i])
            {
                // A step that says nothing about the value may recreate its object (a death respawns the player at a
                // new heap address): the chain's new address stands, and the steps after it check the chain there.
                if (change != ScanChange.Any)
                {
                    Drop(i, $"moved from 0x{_address[i]:x} to 0x{address:x} in a step expecting {change}");
                    continue;
                }

                _address[i] = address;
            }

            var kept = change switch
            {
                ScanChange.Increased => now >= _last[i],
                ScanChange.Decreased => now <= _last[i],
                ScanChange.Unchanged => now.Equals(_stepStart[i]),
                _ => true,
            };
            if (!kept)
            {
                Drop(i, $"read {now:G6} after {_last[i]:G6} in a step expecting {change}");
            }

            Moved[i] += Math.Abs(now - _last[i]);
            _last[i] = now;
        }
    }

    /// <summary>Why the first chain dropped since the last call was dropped, or null; for the scan's log.</summary>
    public string? TakeFirstDrop()
    {
        var drop = _firstDrop;
        _firstDrop = null;
        return drop;
    }

    private void Drop(int i, string reason)
    {
        Alive[i] = false;
        _firstDrop ??= $"{_chains.Chains[i].Describe()} {reason}";
    }

    public void EndStep(ScanChange change)
    {
        Sample(change);
        for (var i = 0; i < Alive.Length; i++)
        {
            if (Alive[i])
            {
                var delta = _last[i] - _stepStart[i];
                var kept = change switch
                {
                    ScanChange.Increased => delta >= Math.Max(_minChange, double.Epsilon),
                    ScanChange.Decreased => -delta >= Math.Max(_minChange, double.Epsilon),
                    ScanChange.Changed => delta != 0,
                    _ => true,
                };
                if (!kept)
                {
                    Drop(i, $"moved {delta:G6} over a step expecting {change}");
                }
            }
        }
    }
}

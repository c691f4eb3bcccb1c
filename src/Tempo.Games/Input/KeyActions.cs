namespace Tempo.Games.Input;

/// <summary>
/// Discrete actions as sets of held keys: applying an action presses the keys that are new and releases the keys that
/// are gone since the previous action, nothing else; <see cref="ReleaseAll"/> lets go of everything.
/// </summary>
/// <remarks>
/// Keys are numbered once at creation (at most 64 distinct keys), so an action is a bit mask and a diff is two mask
/// operations: applying an action allocates nothing. Not thread-safe: one owner (the game's controls) calls it.
/// </remarks>
public sealed class KeyActions
{
    private readonly IKeyboard _keyboard;
    private readonly int[] _keyCodes;
    private readonly ulong[] _actionMasks;
    private ulong _held;

    /// <summary>Creates the action table.</summary>
    /// <param name="keyboard">Where key events go.</param>
    /// <param name="actions">For each action index, the key names held while it is the current action (empty: no key).</param>
    public KeyActions(IKeyboard keyboard, IReadOnlyList<IReadOnlyList<string>> actions)
    {
        _keyboard = keyboard ?? throw new ArgumentNullException(nameof(keyboard));
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException("a key action table needs at least one action", nameof(actions));
        }

        var names = new List<string>();
        _actionMasks = new ulong[actions.Count];
        for (var a = 0; a < actions.Count; a++)
        {
            foreach (var name in actions[a])
            {
                var index = names.IndexOf(name);
                if (index < 0)
                {
                    if (names.Count == 64)
                    {
                        throw new ArgumentException($"a key action table holds at most 64 distinct keys; '{name}' is the 65th", nameof(actions));
                    }

                    names.Add(name);
                    index = names.Count - 1;
                }

                _actionMasks[a] |= 1UL << index;
            }
        }

        KeyNames = names;
        _keyCodes = names.Select(keyboard.Resolve).ToArray();
        Actions = actions;
    }

    /// <summary>The number of actions.</summary>
    public int Count => _actionMasks.Length;

    /// <summary>The key names of each action, as given.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Actions { get; }

    /// <summary>Every distinct key, in the order they were numbered.</summary>
    public IReadOnlyList<string> KeyNames { get; }

    /// <summary>The keys held now, as a bit mask over <see cref="KeyNames"/>.</summary>
    public ulong HeldMask => _held;

    /// <summary>Makes <paramref name="action"/>'s keys the held ones: presses what is new, releases what is gone.</summary>
    /// <returns>The number of key events sent.</returns>
    public int Apply(int action)
    {
        if ((uint)action >= (uint)_actionMasks.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"the key action table has actions 0..{_actionMasks.Length - 1}");
        }

        return MoveTo(_actionMasks[action]);
    }

    /// <summary>Releases every held key.</summary>
    /// <returns>The number of key events sent.</returns>
    public int ReleaseAll() => MoveTo(0);

    private int MoveTo(ulong target)
    {
        var released = _held & ~target;
        var pressed = target & ~_held;
        var events = Send(released, down: false) + Send(pressed, down: true);
        _held = target;
        if (events > 0)
        {
            _keyboard.Flush();
        }

        return events;
    }

    private int Send(ulong mask, bool down)
    {
        var count = 0;
        while (mask != 0)
        {
            var index = System.Numerics.BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            _keyboard.Send(_keyCodes[index], down);
            count++;
        }

        return count;
    }
}

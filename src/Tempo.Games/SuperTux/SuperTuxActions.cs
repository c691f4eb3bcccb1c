namespace Tempo.Games.SuperTux;

/// <summary>SuperTux's named discrete actions: key combinations written as words joined by '+' (<c>run+right+jump</c>).</summary>
/// <remarks>The words are <c>noop</c> (no key), <c>left</c>, <c>right</c>, <c>jump</c> (Space), <c>run</c> (Left Ctrl) and <c>duck</c> (Down).</remarks>
public static class SuperTuxActions
{
    /// <summary>The default action set, in action-index order.</summary>
    public static IReadOnlyList<string> Default { get; } =
        ["noop", "left", "right", "jump", "right+jump", "left+jump", "run+right", "run+right+jump", "duck"];

    /// <summary>The X key name of <c>jump</c>.</summary>
    public const string JumpKey = "space";

    private static readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal)
    {
        ["left"] = "Left",
        ["right"] = "Right",
        ["jump"] = JumpKey,
        ["run"] = "Control_L",
        ["duck"] = "Down",
    };

    /// <summary>The X key names an action holds (empty for <c>noop</c>).</summary>
    /// <exception cref="ArgumentException">A word is not one of the known ones; the message names it.</exception>
    public static IReadOnlyList<string> Keys(string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (action == "noop")
        {
            return [];
        }

        var keys = new List<string>();
        foreach (var word in action.Split('+'))
        {
            if (!_keys.TryGetValue(word, out var key))
            {
                throw new ArgumentException(
                    $"SuperTux action '{action}' has an unknown part '{word}'; use noop or words among {string.Join(", ", _keys.Keys)} joined by '+'.", nameof(action));
            }

            keys.Add(key);
        }

        return keys;
    }
}

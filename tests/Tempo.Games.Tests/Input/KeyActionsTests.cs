using Tempo.Games.Input;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.Input;

public sealed class KeyActionsTests
{
    private static readonly string[][] _table = [[], ["Right"], ["Left"], ["Right", "space"], ["space"]];

    [Fact]
    public void Applying_an_action_presses_only_new_keys_and_releases_only_gone_ones()
    {
        var keyboard = new RecordingKeyboard();
        var keys = new KeyActions(keyboard, _table);

        keys.Apply(1);
        Assert.Equal(["+Right"], keyboard.Take());
        keys.Apply(3);
        Assert.Equal(["+space"], keyboard.Take());
        keys.Apply(3);
        Assert.Empty(keyboard.Take());
        keys.Apply(4);
        Assert.Equal(["-Right"], keyboard.Take());
        keys.Apply(2);
        Assert.Equal(["-space", "+Left"], keyboard.Take());
        keys.ReleaseAll();
        Assert.Equal(["-Left"], keyboard.Take());
        keys.Apply(0);
        Assert.Empty(keyboard.Take());
    }

    [Fact]
    public void Events_are_flushed_once_per_change()
    {
        var keyboard = new RecordingKeyboard();
        var keys = new KeyActions(keyboard, _table);
        keys.Apply(3);
        keys.Apply(3);
        keys.Apply(0);
        Assert.Equal(2, keyboard.Flushes);
    }

    [Fact]
    public void An_action_outside_the_table_is_refused_with_the_range()
    {
        var keys = new KeyActions(new RecordingKeyboard(), _table);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => keys.Apply(5));
        Assert.Contains("0..4", error.Message);
    }

    [Fact]
    public void Applying_actions_allocates_nothing()
    {
        var keys = new KeyActions(new CountingKeyboard(), _table);
        keys.Apply(3);
        keys.Apply(2);
        var i = 0;

        Assert.Equal(0, Allocations.OnThisThread(() => keys.Apply(i++ % _table.Length), warmUp: 0, repetitions: 100));
    }

    private sealed class RecordingKeyboard : IKeyboard
    {
        private readonly List<string> _names = [];
        private readonly List<string> _events = [];

        public int Flushes { get; private set; }

        public int Resolve(string keyName)
        {
            _names.Add(keyName);
            return _names.Count - 1;
        }

        public void Send(int keyCode, bool down) => _events.Add((down ? "+" : "-") + _names[keyCode]);

        public void Flush() => Flushes++;

        public string[] Take()
        {
            var events = _events.ToArray();
            _events.Clear();
            return events;
        }
    }

    private sealed class CountingKeyboard : IKeyboard
    {
        public int Events { get; private set; }

        public int Resolve(string keyName) => keyName.Length;

        public void Send(int keyCode, bool down) => Events++;

        public void Flush()
        {
        }
    }
}

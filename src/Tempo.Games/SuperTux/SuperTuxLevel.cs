using System.Globalization;
using System.Text;

namespace Tempo.Games.SuperTux;

/// <summary>
/// A generated SuperTux 0.6 level (<c>.stl</c>): flat snow ground, a spawn at (96, 416), coins along the walking line,
/// optional pits, and the level-finished triggers eight tiles before the right edge. No enemies, so an episode is
/// reproducible enough to assert on.
/// </summary>
public sealed record SuperTuxLevel
{
    /// <summary>The tile size in pixels.</summary>
    public const int TileSize = 32;

    /// <summary>The spawn point's x in pixels: where Tux's x reads at the start.</summary>
    public const float SpawnX = 96;

    /// <summary>The y of the ground's top in pixels (tile row 15).</summary>
    public const int GroundTop = 15 * TileSize;

    /// <summary>The level's height in tiles; below its bottom Tux dies.</summary>
    public const int HeightTiles = 20;

    /// <summary>
    /// The proof level: 80 tiles wide (finish at x = 2304) with two 3-tile pits (columns 24–26 and 44–46), which a
    /// jump while walking right clears and a random policy rarely does twice.
    /// </summary>
    public static SuperTuxLevel TwoPits { get; } = new() { WidthTiles = 80, Pits = [(24, 3), (44, 3)] };

    /// <summary>The y below which Tux has fallen out of the level (its bottom edge).</summary>
    public const int BottomY = HeightTiles * TileSize;

    /// <summary>The width in tiles (40 is a short level, 80 puts the goal near x = 2304).</summary>
    public int WidthTiles { get; init; } = 80;

    /// <summary>The coins' x positions in pixels, on the walking line.</summary>
    public IReadOnlyList<int> CoinsX { get; init; } = [320, 352, 384, 416, 448, 480, 512, 544];

    /// <summary>Ranges of tile columns without ground (pits), as (first column, column count).</summary>
    public IReadOnlyList<(int Column, int Count)> Pits { get; init; } = [];

    /// <summary>The game speed set by the level's init script (SuperTux's <c>set_game_speed</c>); 1 is normal, null leaves it.</summary>
    public double? GameSpeed { get; init; }

    /// <summary>The x in pixels of the trigger that finishes the level.</summary>
    public int FinishX => (WidthTiles - 8) * TileSize;

    /// <summary>The level's text.</summary>
    public string ToStl()
    {
        if (WidthTiles < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(WidthTiles), WidthTiles, "a level needs at least 16 tiles (the finish sits 8 tiles before the edge)");
        }

        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append("(supertux-level\n  (version 3)\n  (name (_ \"Tempo test level\"))\n  (author \"Tempo\")\n  (license \"CC0\")\n  (sector\n    (name \"main\")\n");
        s.Append("    (ambient-light (color 1 1 1))\n");
        if (GameSpeed is { } speed)
        {
            // Without the wait the call runs but the level start resets the speed (measured on 0.6.3).
            s.Append(c, $"    (init-script \"wait(0.2); set_game_speed({speed.ToString(c)});\")\n");
        }

        s.Append("    (gradient (top_color 0.4 0.6 1) (bottom_color 1 1 1))\n");
        s.Append("    (camera (name \"Camera\") (mode \"normal\"))\n");
        s.Append(c, $"    (spawnpoint (name \"main\") (x {SpawnX}) (y 416))\n");
        foreach (var x in CoinsX)
        {
            s.Append(c, $"    (coin (x {x}) (y {GroundTop}))\n");
        }

        s.Append(c, $"    (sequencetrigger (sequence \"endsequence\") (width 32) (height 640) (x {FinishX}) (y 0))\n");
        s.Append(c, $"    (sequencetrigger (sequence \"stoptux\") (width 32) (height 640) (x {FinishX + (5 * TileSize)}) (y 0))\n");
        s.Append(c, $"    (tilemap (solid #t) (z-pos 0) (width {WidthTiles}) (height {HeightTiles}) (tiles");
        for (var row = 0; row < HeightTiles; row++)
        {
            s.Append("\n     ");
            for (var column = 0; column < WidthTiles; column++)
            {
                var tile = row < 15 || InPit(column) ? 0 : row == 15 ? 8 : 11;
                s.Append(' ').Append(tile.ToString(c));
            }
        }

        s.Append("))\n  )\n)\n");
        return s.ToString();
    }

    /// <summary>Writes the level to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToStl());

    private bool InPit(int column)
    {
        foreach (var (first, count) in Pits)
        {
            if (column >= first && column < first + count)
            {
                return true;
            }
        }

        return false;
    }
}

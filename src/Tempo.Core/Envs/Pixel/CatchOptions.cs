namespace Tempo.Core.Envs.Pixel;

/// <summary>The board and frame sizes of <see cref="Catch"/>; the defaults are bsuite's 10×5 board drawn on an 84×84 frame.</summary>
public sealed record CatchOptions
{
    /// <summary>The largest frame side accepted, in pixels (keeps frame buffers far from overflow).</summary>
    public const int MaximumFrameSize = 4096;

    /// <summary>Board rows; the ball falls one row per step from the top row to the paddle's row (the bottom one).</summary>
    public int Rows { get; init; } = 10;

    /// <summary>Board columns; the ball starts in a uniformly drawn one.</summary>
    public int Columns { get; init; } = 5;

    /// <summary>Height of the observed (and rendered) frame in pixels.</summary>
    public int FrameHeight { get; init; } = 84;

    /// <summary>Width of the observed (and rendered) frame in pixels.</summary>
    public int FrameWidth { get; init; } = 84;

    /// <summary>
    /// Observe a dict instead of the bare frame: <c>frames</c> (the <c>[1, height, width]</c> byte frame) and
    /// <c>features</c> (ball column, ball row, paddle column as floats scaled to [0, 1]); <c>CatchFeatures-v0</c> sets it.
    /// </summary>
    public bool PositionFeatures { get; init; }

    /// <summary>Throws naming the first size that is out of range and its value.</summary>
    public void Validate()
    {
        if (Rows < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "Catch needs at least 2 rows (the ball's start row and the paddle's row).");
        }

        if (Columns < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Columns), Columns, "Catch needs at least 1 column.");
        }

        if (FrameHeight < Rows || FrameHeight > MaximumFrameSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FrameHeight), FrameHeight, $"The frame height must lie in [{Rows} (one pixel per row), {MaximumFrameSize}].");
        }

        if (FrameWidth < Columns || FrameWidth > MaximumFrameSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FrameWidth), FrameWidth, $"The frame width must lie in [{Columns} (one pixel per column), {MaximumFrameSize}].");
        }
    }
}

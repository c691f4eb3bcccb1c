using Tempo.Core.Envs.Classic;
using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Pixel;

/// <summary>bsuite's Catch as pixels: catch a falling ball with a paddle that moves left (0), stays (1) or moves right (2).</summary>
/// <remarks>
/// <para>
/// As DeepMind bsuite's <c>catch</c> (Osband et al. 2020): on a board of <see cref="CatchOptions.Rows"/> ×
/// <see cref="CatchOptions.Columns"/> cells the ball starts on the top row in a uniformly drawn column and the paddle in
/// the middle column (<c>columns / 2</c>) of the bottom row. Each step first moves the paddle (clipped to the board),
/// then drops the ball one row. When the ball reaches the bottom row the episode terminates with reward +1 if the
/// paddle is under it and −1 otherwise; every other step pays 0. An episode is therefore <c>rows − 1</c> steps long.
/// </para>
/// <para>
/// The observation is the board drawn as a single-channel byte frame, shape <c>[1, height, width]</c> (the
/// [C, H, W] layout a CNN takes): 0 on empty cells, 255 on the ball's and the paddle's cells (bsuite's board has
/// 1.0 there). Board row <c>r</c> covers pixel rows <c>⌊r·height / rows⌋</c> up to <c>⌊(r + 1)·height / rows⌋</c>,
/// and likewise for columns, so every cell gets at least one pixel. <see cref="Render"/> draws the same picture in
/// RGB (white on black), so the grey level of the rendered frame equals the observation.
/// </para>
/// <para>
/// With <see cref="CatchOptions.PositionFeatures"/> the observation is a <see cref="DictSpace"/>: <c>frames</c>, the frame
/// above, and <c>features</c>, three floats in [0, 1]: the ball's column and row and the paddle's column, each divided by
/// the largest value it can take (0 on a one-column board) — a pixel game that also exposes memory features, as a real
/// game's process memory would.
/// </para>
/// </remarks>
public sealed class Catch : Env<byte, int>, IRenderable
{
    /// <summary>The grey level of the ball and the paddle.</summary>
    public const byte Lit = 255;

    /// <summary>The name of the frame part of a dict observation.</summary>
    public const string FramesPart = "frames";

    /// <summary>The name of the position-features part of a dict observation.</summary>
    public const string FeaturesPart = "features";

    /// <summary>The number of position features: ball column, ball row, paddle column.</summary>
    public const int FeatureCount = 3;

    private readonly int _rows;
    private readonly int _columns;
    private readonly int _height;
    private readonly int _width;
    private int _ballRow;
    private int _ballColumn;
    private int _paddleColumn;
    private readonly DictPart? _frames;
    private readonly DictPart? _features;
    private bool _hasState;

    /// <summary>Creates Catch with bsuite's 10×5 board on 84×84 frames.</summary>
    public Catch()
        : this(new CatchOptions())
    {
    }

    /// <summary>Creates Catch with the given board and frame sizes.</summary>
    public Catch(CatchOptions options)
        : base(CreateObservationSpace(options), new DiscreteSpace(3))
    {
        Options = options;
        _rows = options.Rows;
        _columns = options.Columns;
        _height = options.FrameHeight;
        _width = options.FrameWidth;
        if (ObservationSpace is DictSpace dict)
        {
            _frames = dict[FramesPart];
            _features = dict[FeaturesPart];
        }
    }

    /// <summary>The sizes this env was created with.</summary>
    public CatchOptions Options { get; }

    /// <summary>The ball's board row (0 = top); valid after a reset.</summary>
    public int BallRow => _ballRow;

    /// <summary>The ball's board column; valid after a reset.</summary>
    public int BallColumn => _ballColumn;

    /// <summary>The paddle's board column (it always sits on the bottom row); valid after a reset.</summary>
    public int PaddleColumn => _paddleColumn;

    /// <inheritdoc/>
    public int FrameWidth => _width;

    /// <inheritdoc/>
    public int FrameHeight => _height;

    /// <inheritdoc/>
    public void Render(Span<byte> rgb)
    {
        RenderGuard.RequireState(_hasState, this);
        var needed = _height * _width * 3;
        if (rgb.Length != needed)
        {
            throw new ArgumentException($"The frame buffer has {rgb.Length} bytes; a {_width}x{_height} RGB24 frame needs {needed}.", nameof(rgb));
        }

        rgb.Clear();
        FillCell(rgb, _ballRow, _ballColumn, bytesPerPixel: 3);
        FillCell(rgb, _rows - 1, _paddleColumn, bytesPerPixel: 3);
    }

    /// <inheritdoc/>
    protected override void ResetCore(Span<byte> observation)
    {
        _ballColumn = Random.Next(_columns);
        _ballRow = 0;
        _paddleColumn = _columns / 2;
        _hasState = true;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<byte> observation)
    {
        // bsuite's order: move the paddle (actions map to −1, 0, +1 and the paddle stays on the board), then drop the ball.
        _paddleColumn = Math.Clamp(_paddleColumn + action[0] - 1, 0, _columns - 1);
        _ballRow++;
        WriteObservation(observation);
        if (_ballRow == _rows - 1)
        {
            return new StepResult(_paddleColumn == _ballColumn ? 1f : -1f, Terminated: true, Truncated: false);
        }

        return new StepResult(0f, Terminated: false, Truncated: false);
    }

    private static Space<byte> CreateObservationSpace(CatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var frames = new BoxSpace<byte>(0, 255, 1, options.FrameHeight, options.FrameWidth);
        return options.PositionFeatures
            ? new DictSpace(new Dictionary<string, ISpace> { [FramesPart] = frames, [FeaturesPart] = new BoxSpace<float>(0f, 1f, FeatureCount) })
            : frames;
    }

    private void WriteObservation(Span<byte> observation)
    {
        if (_frames is null || _features is null)
        {
            DrawFrame(observation);
            return;
        }

        // Padding first (the caller's buffer may hold anything), then each part.
        ((DictSpace)ObservationSpace).ClearPadding(observation);
        DrawFrame(_frames.Bytes(observation));
        var features = _features.Get<float>(observation);
        features[0] = Scale(_ballColumn, _columns - 1);
        features[1] = Scale(_ballRow, _rows - 1);
        features[2] = Scale(_paddleColumn, _columns - 1);
    }

    private static float Scale(int cell, int largest) => largest == 0 ? 0f : (float)cell / largest;

    private void DrawFrame(Span<byte> frame)
    {
        frame.Clear();
        FillCell(frame, _ballRow, _ballColumn, bytesPerPixel: 1);
        FillCell(frame, _rows - 1, _paddleColumn, bytesPerPixel: 1);
    }

    /// <summary>Lights the pixels of one board cell in a row-major frame of <paramref name="bytesPerPixel"/> bytes per pixel.</summary>
    private void FillCell(Span<byte> frame, int row, int column, int bytesPerPixel)
    {
        var top = row * _height / _rows;
        var bottom = (row + 1) * _height / _rows;
        var left = column * _width / _columns;
        var right = (column + 1) * _width / _columns;
        var rowStride = _width * bytesPerPixel;
        for (var y = top; y < bottom; y++)
        {
            frame.Slice((y * rowStride) + (left * bytesPerPixel), (right - left) * bytesPerPixel).Fill(Lit);
        }
    }
}

using System.Numerics;
using Tempo.Core.Rendering;

namespace Tempo.Core.Envs.Classic;

/// <summary>The drawing of <see cref="Acrobot"/>, after Gymnasium's pygame renderer.</summary>
public sealed partial class Acrobot
{
    private const int ScreenSize = 500;

    /// <inheritdoc/>
    public int FrameWidth => ScreenSize;

    /// <inheritdoc/>
    public int FrameHeight => ScreenSize;

    /// <inheritdoc/>
    public void Render(Span<byte> rgb)
    {
        RenderGuard.RequireState(_hasState, this);
        var canvas = new RgbCanvas(rgb, ScreenSize, ScreenSize, yAxisUp: true);
        canvas.Clear(Rgb.White);

        var (length1, length2) = (Options.LinkLength1, Options.LinkLength2);
        var bound = length1 + length2 + 0.2;
        var scale = ScreenSize / (bound * 2);
        var offset = ScreenSize / 2.0;

        // The height the tip must rise above to terminate: 1 m over the pivot, whatever the link lengths.
        var goalY = (float)((1.0 * scale) + offset);
        canvas.DrawLine(new Vector2((float)((-bound * scale) + offset), goalY), new Vector2((float)((bound * scale) + offset), goalY), Rgb.Black);

        // Gymnasium computes the joints with y along the chain and then swaps the axes ([:, ::-1]).
        var elbowX = length1 * Math.Sin(_theta1) * scale;
        var elbowY = -length1 * Math.Cos(_theta1) * scale;
        var thickness = (float)(0.1 * scale);
        DrawLink(canvas, offset, offset, _theta1 - (Math.PI / 2), length1 * scale, thickness);
        DrawLink(canvas, elbowX + offset, elbowY + offset, _theta1 + _theta2 - (Math.PI / 2), length2 * scale, thickness);
    }

    private static void DrawLink(RgbCanvas canvas, double x, double y, double angle, double length, float halfThickness)
    {
        var origin = new Vector2((float)x, (float)y);
        var linkLength = (float)length;
        Span<Vector2> link =
        [
            PlaneRotation.RotateAndTranslate(new(0, -halfThickness), angle, origin),
            PlaneRotation.RotateAndTranslate(new(0, halfThickness), angle, origin),
            PlaneRotation.RotateAndTranslate(new(linkLength, halfThickness), angle, origin),
            PlaneRotation.RotateAndTranslate(new(linkLength, -halfThickness), angle, origin),
        ];
        canvas.FillPolygon(link, new Rgb(0, 204, 204));
        canvas.FillCircle(new Vector2(MathF.Truncate(origin.X), MathF.Truncate(origin.Y)), MathF.Truncate(halfThickness), new Rgb(204, 204, 0));
    }
}

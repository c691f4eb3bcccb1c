using System.Numerics;
using Tempo.Core.Rendering;

namespace Tempo.Core.Envs.Classic;

/// <summary>The drawing of <see cref="Pendulum"/>, after Gymnasium's pygame renderer.</summary>
public sealed partial class Pendulum
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

        const double bound = 2.2;
        const double scale = ScreenSize / (bound * 2);
        const int offset = ScreenSize / 2;
        const float rodLength = (float)(1 * scale);
        const float rodWidth = (float)(0.2 * scale);
        var rodColor = new Rgb(204, 77, 77);
        var pivot = new Vector2(offset, offset);
        var angle = _theta + (Math.PI / 2);

        Span<Vector2> rod =
        [
            PlaneRotation.RotateAndTranslate(new(0, -rodWidth / 2), angle, pivot),
            PlaneRotation.RotateAndTranslate(new(0, rodWidth / 2), angle, pivot),
            PlaneRotation.RotateAndTranslate(new(rodLength, rodWidth / 2), angle, pivot),
            PlaneRotation.RotateAndTranslate(new(rodLength, -rodWidth / 2), angle, pivot),
        ];
        canvas.FillPolygon(rod, rodColor);
        var endRadius = MathF.Truncate(rodWidth / 2);
        canvas.FillCircle(pivot, endRadius, rodColor);
        var rodEnd = PlaneRotation.RotateAndTranslate(new(rodLength, 0), angle, pivot);
        canvas.FillCircle(new Vector2(MathF.Truncate(rodEnd.X), MathF.Truncate(rodEnd.Y)), endRadius, rodColor);

        if (_hasLastTorque && _lastTorque != 0)
        {
            DrawTorqueArrow(canvas, pivot, (float)(scale * Math.Abs(_lastTorque) / 2), counterClockwise: _lastTorque > 0);
        }

        canvas.FillCircle(pivot, MathF.Truncate((float)(0.05 * scale)), Rgb.Black);
    }

    /// <summary>
    /// Stands in for Gymnasium's clockwise.png: a black three-quarter circular arrow around the pivot whose size is
    /// proportional to the last torque, pointing in the direction the torque turns the pendulum.
    /// </summary>
    private static void DrawTorqueArrow(RgbCanvas canvas, Vector2 center, float size, bool counterClockwise)
    {
        const int segments = 24;
        const double sweep = 1.5 * Math.PI;
        var radius = size * 0.4f;
        var thickness = Math.Max(1f, size * 0.08f);
        var direction = counterClockwise ? 1.0 : -1.0;
        var start = Math.PI / 2;
        var previous = center + (radius * new Vector2(0, 1));
        for (var i = 1; i <= segments; i++)
        {
            var (sin, cos) = Math.SinCos(start + (direction * sweep * i / segments));
            var point = center + (radius * new Vector2((float)cos, (float)sin));
            canvas.DrawLine(previous, point, Rgb.Black, thickness);
            canvas.FillCircle(point, thickness / 2, Rgb.Black); // round joints, so the arc has no notches
            previous = point;
        }

        // The head: a triangle at the arc's end, pointing along the direction of travel.
        var endAngle = start + (direction * sweep);
        var (endSin, endCos) = Math.SinCos(endAngle);
        var radial = new Vector2((float)endCos, (float)endSin);
        var tangent = (float)direction * new Vector2(-radial.Y, radial.X);
        var tip = previous + (tangent * thickness * 2.5f);
        Span<Vector2> head = [tip, previous + (radial * thickness * 2f), previous - (radial * thickness * 2f)];
        canvas.FillPolygon(head, Rgb.Black);
    }
}

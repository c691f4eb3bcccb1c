using System.Numerics;
using Tempo.Core.Rendering;

namespace Tempo.Core.Envs.Classic;

/// <summary>Draws a car on the sinusoidal valley of the two Mountain Car envs, after Gymnasium's pygame renderer.</summary>
internal static class MountainCarDrawing
{
    /// <summary>Frame width in pixels.</summary>
    public const int Width = 600;

    /// <summary>Frame height in pixels.</summary>
    public const int Height = 400;

    private const int CurvePoints = 100;

    /// <summary>Draws the valley, the car at <paramref name="position"/> and the flag at <paramref name="goalPosition"/>.</summary>
    public static void Draw(Span<byte> rgb, double position, double goalPosition, double minPosition, double maxPosition)
    {
        var canvas = new RgbCanvas(rgb, Width, Height, yAxisUp: true);
        canvas.Clear(Rgb.White);
        var scale = Width / (maxPosition - minPosition);

        // The valley: 100 samples joined by straight segments, as Gymnasium's linspace + aalines.
        var step = (maxPosition - minPosition) / (CurvePoints - 1);
        var previous = new Vector2(0, (float)(HeightAt(minPosition) * scale));
        for (var i = 1; i < CurvePoints; i++)
        {
            var x = i == CurvePoints - 1 ? maxPosition : minPosition + (i * step);
            var point = new Vector2((float)((x - minPosition) * scale), (float)(HeightAt(x) * scale));
            canvas.DrawLine(previous, point, Rgb.Black);
            previous = point;
        }

        const float carWidth = 40f;
        const float carHeight = 20f;
        const float clearance = 10f;
        var tilt = Math.Cos(3 * position);
        var anchor = new Vector2((float)((position - minPosition) * scale), (float)(clearance + (HeightAt(position) * scale)));
        Span<Vector2> body =
        [
            PlaneRotation.RotateAndTranslate(new(-carWidth / 2, 0), tilt, anchor),
            PlaneRotation.RotateAndTranslate(new(-carWidth / 2, carHeight), tilt, anchor),
            PlaneRotation.RotateAndTranslate(new(carWidth / 2, carHeight), tilt, anchor),
            PlaneRotation.RotateAndTranslate(new(carWidth / 2, 0), tilt, anchor),
        ];
        canvas.FillPolygon(body, Rgb.Black);

        var wheelColor = new Rgb(128, 128, 128);
        var wheelRadius = MathF.Truncate(carHeight / 2.5f);
        var frontWheel = PlaneRotation.RotateAndTranslate(new(carWidth / 4, 0), tilt, anchor);
        var rearWheel = PlaneRotation.RotateAndTranslate(new(-carWidth / 4, 0), tilt, anchor);
        canvas.FillCircle(new Vector2(MathF.Truncate(frontWheel.X), MathF.Truncate(frontWheel.Y)), wheelRadius, wheelColor);
        canvas.FillCircle(new Vector2(MathF.Truncate(rearWheel.X), MathF.Truncate(rearWheel.Y)), wheelRadius, wheelColor);

        var flagX = (int)((goalPosition - minPosition) * scale);
        var flagBottom = (int)(HeightAt(goalPosition) * scale);
        var flagTop = flagBottom + 50;
        canvas.DrawLine(new Vector2(flagX, flagBottom), new Vector2(flagX, flagTop), Rgb.Black);
        Span<Vector2> flag = [new(flagX, flagTop), new(flagX, flagTop - 10), new(flagX + 25, flagTop - 5)];
        canvas.FillPolygon(flag, new Rgb(204, 204, 0));
    }

    /// <summary>The valley's height profile, <c>sin(3x) · 0.45 + 0.55</c>.</summary>
    private static double HeightAt(double x) => (Math.Sin(3 * x) * 0.45) + 0.55;
}

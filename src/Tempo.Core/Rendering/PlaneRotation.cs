using System.Numerics;

namespace Tempo.Core.Rendering;

/// <summary>Rotates points in the plane, counter-clockwise for positive angles (pygame's <c>Vector2.rotate_rad</c>).</summary>
internal static class PlaneRotation
{
    /// <summary>Returns <paramref name="point"/> rotated about the origin by <paramref name="radians"/>.</summary>
    public static Vector2 Rotate(Vector2 point, double radians)
    {
        var (sin, cos) = Math.SinCos(radians);
        return new Vector2((float)((point.X * cos) - (point.Y * sin)), (float)((point.X * sin) + (point.Y * cos)));
    }

    /// <summary>Returns <paramref name="point"/> rotated by <paramref name="radians"/> and then moved by <paramref name="offset"/>.</summary>
    public static Vector2 RotateAndTranslate(Vector2 point, double radians, Vector2 offset) => Rotate(point, radians) + offset;
}

using System.Numerics;
using Tempo.Core.Rendering;

namespace Tempo.Core.Envs.Classic;

/// <summary>The drawing of <see cref="CartPole"/>, after Gymnasium's pygame renderer.</summary>
public sealed partial class CartPole
{
    private const int ScreenWidth = 600;
    private const int ScreenHeight = 400;

    /// <inheritdoc/>
    public int FrameWidth => ScreenWidth;

    /// <inheritdoc/>
    public int FrameHeight => ScreenHeight;

    /// <inheritdoc/>
    public void Render(Span<byte> rgb)
    {
        RenderGuard.RequireState(_hasState, this);
        var canvas = new RgbCanvas(rgb, ScreenWidth, ScreenHeight, yAxisUp: true);
        canvas.Clear(Rgb.White);

        const float poleWidth = 10f;
        const float cartWidth = 50f;
        const float cartHeight = 30f;
        const float axleOffset = cartHeight / 4f;
        const float cartY = 100f;
        var scale = ScreenWidth / (_xThreshold * 2);
        var poleLength = (float)(scale * (2 * _halfLength));
        var cartX = (float)((_x * scale) + (ScreenWidth / 2.0));

        Span<Vector2> cart =
        [
            new(cartX - (cartWidth / 2), cartY - (cartHeight / 2)),
            new(cartX - (cartWidth / 2), cartY + (cartHeight / 2)),
            new(cartX + (cartWidth / 2), cartY + (cartHeight / 2)),
            new(cartX + (cartWidth / 2), cartY - (cartHeight / 2)),
        ];
        canvas.FillPolygon(cart, Rgb.Black);

        var axle = new Vector2(cartX, cartY + axleOffset);
        Span<Vector2> pole =
        [
            PlaneRotation.RotateAndTranslate(new(-poleWidth / 2, -poleWidth / 2), -_theta, axle),
            PlaneRotation.RotateAndTranslate(new(-poleWidth / 2, poleLength - (poleWidth / 2)), -_theta, axle),
            PlaneRotation.RotateAndTranslate(new(poleWidth / 2, poleLength - (poleWidth / 2)), -_theta, axle),
            PlaneRotation.RotateAndTranslate(new(poleWidth / 2, -poleWidth / 2), -_theta, axle),
        ];
        canvas.FillPolygon(pole, new Rgb(202, 152, 101));
        canvas.FillCircle(new Vector2(MathF.Truncate(axle.X), MathF.Truncate(axle.Y)), poleWidth / 2, new Rgb(129, 132, 203));
        canvas.DrawLine(new Vector2(0, cartY), new Vector2(ScreenWidth, cartY), Rgb.Black);
    }
}

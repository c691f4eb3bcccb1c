using Tempo.Games.Imaging;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.Imaging;

public sealed class GrayAreaResizerTests
{
    [Theory]
    [InlineData(640, 480, 64, 64, 0)]
    [InlineData(640, 480, 84, 84, 16)]
    [InlineData(101, 37, 13, 7, 4)]
    [InlineData(10, 10, 32, 20, 0)]
    [InlineData(7, 5, 7, 5, 8)]
    public void Matches_a_scalar_float_reference_within_one_gray_level(int sourceWidth, int sourceHeight, int width, int height, int padding)
    {
        var stride = (sourceWidth * 4) + padding;
        var pixels = new byte[stride * sourceHeight];
        new Random(sourceWidth * 31 + height).NextBytes(pixels);
        var frame = new BgraFrame(pixels, sourceWidth, sourceHeight, stride);
        var actual = new byte[width * height];
        new GrayAreaResizer(sourceWidth, sourceHeight, width, height).Convert(frame, actual);

        var expected = Reference(pixels, sourceWidth, sourceHeight, stride, width, height);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1, $"pixel {i % width},{i / width}: {actual[i]} vs reference {expected[i]}");
        }
    }

    [Fact]
    public void A_uniform_color_gives_its_BT601_luma()
    {
        var pixels = new byte[64 * 48 * 4];
        for (var i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = 200;      // B
            pixels[i + 1] = 100;  // G
            pixels[i + 2] = 50;   // R
        }

        var output = new byte[8 * 6];
        new GrayAreaResizer(64, 48, 8, 6).Convert(new BgraFrame(pixels, 64, 48, 64 * 4), output);
        Assert.All(output, b => Assert.Equal(Math.Round((0.299 * 50) + (0.587 * 100) + (0.114 * 200)), b, 1.0));
    }

    [Fact]
    public void Converting_a_frame_allocates_nothing()
    {
        var pixels = new byte[640 * 480 * 4];
        var output = new byte[64 * 64];
        var resizer = new GrayAreaResizer(640, 480, 64, 64);

        Assert.Equal(0, Allocations.OnThisThread(() => resizer.Convert(new BgraFrame(pixels, 640, 480, 640 * 4), output), warmUp: 1, repetitions: 10));
    }

    [Fact]
    public void Wrong_sizes_are_refused_with_the_sizes_named()
    {
        var resizer = new GrayAreaResizer(64, 48, 8, 6);
        var frame = new byte[32 * 32 * 4];
        var error = Assert.Throws<ArgumentException>(() => resizer.Convert(new BgraFrame(frame, 32, 32, 128), new byte[48]));
        Assert.Contains("64x48", error.Message);
        Assert.Contains("32x32", error.Message);
    }

    // Independent of the SIMD code: float luma per pixel, averaged over the box each output pixel covers (integer edges).
    private static byte[] Reference(byte[] pixels, int sw, int sh, int stride, int w, int h)
    {
        var output = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            var y0 = Math.Min(y * sh / h, sh - 1);
            var y1 = Math.Max((y + 1) * sh / h, y0 + 1);
            for (var x = 0; x < w; x++)
            {
                var x0 = Math.Min(x * sw / w, sw - 1);
                var x1 = Math.Max((x + 1) * sw / w, x0 + 1);
                double sum = 0;
                for (var yy = y0; yy < y1; yy++)
                {
                    for (var xx = x0; xx < x1; xx++)
                    {
                        var p = (yy * stride) + (xx * 4);
                        sum += (0.299 * pixels[p + 2]) + (0.587 * pixels[p + 1]) + (0.114 * pixels[p]);
                    }
                }

                output[(y * w) + x] = (byte)Math.Round(sum / ((y1 - y0) * (x1 - x0)));
            }
        }

        return output;
    }
}

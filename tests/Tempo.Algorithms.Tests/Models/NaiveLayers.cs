using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Tests.Models;

/// <summary>The CNN and multi-input networks' layers computed naively in double, from the parameters by name: the reference their tests hold Tempo's kernels to.</summary>
internal static class NaiveLayers
{
    /// <summary>The Nature CNN under <paramref name="prefix"/> (valid convolutions 8/4, 4/2, 3/1 with ReLU, then the ReLU fully connected layer <c>.7</c>) on one stack of pixels already divided by 255.</summary>
    public static double[] Cnn(Func<string, Parameter> parameter, string prefix, double[] pixels, int channels, int size)
    {
        var (maps, height, width) = (pixels, size, size);
        foreach (var (layer, kernel, stride) in new[] { ($"{prefix}.0", 8, 4), ($"{prefix}.2", 4, 2), ($"{prefix}.4", 3, 1) })
        {
            var weight = parameter($"{layer}.weight").Value.Span.ToArray();
            var bias = parameter($"{layer}.bias").Value.Span.ToArray();
            var outChannels = bias.Length;
            var outHeight = ((height - kernel) / stride) + 1;
            var outWidth = ((width - kernel) / stride) + 1;
            var output = new double[outChannels * outHeight * outWidth];
            for (var o = 0; o < outChannels; o++)
            {
                for (var y = 0; y < outHeight; y++)
                {
                    for (var x = 0; x < outWidth; x++)
                    {
                        double sum = bias[o];
                        for (var c = 0; c < channels; c++)
                        {
                            for (var i = 0; i < kernel; i++)
                            {
                                for (var j = 0; j < kernel; j++)
                                {
                                    sum += weight[(((((o * channels) + c) * kernel) + i) * kernel) + j] * maps[(((c * height) + (y * stride) + i) * width) + (x * stride) + j];
                                }
                            }
                        }

                        output[(((o * outHeight) + y) * outWidth) + x] = Math.Max(0, sum);
                    }
                }
            }

            (maps, height, width, channels) = (output, outHeight, outWidth, outChannels);
        }

        return [.. Affine(parameter, $"{prefix}.7", maps).Select(v => Math.Max(0, v))];
    }

    /// <summary>The linear layer under <paramref name="prefix"/> on one input row.</summary>
    public static double[] Affine(Func<string, Parameter> parameter, string prefix, double[] input)
    {
        var weight = parameter($"{prefix}.weight").Value;
        var bias = parameter($"{prefix}.bias").Value.Span;
        var w = weight.Span;
        var inputs = weight.Dim(1);
        var result = new double[weight.Dim(0)];
        for (var o = 0; o < result.Length; o++)
        {
            double sum = bias[o];
            for (var i = 0; i < inputs; i++)
            {
                sum += w[(o * inputs) + i] * input[i];
            }

            result[o] = sum;
        }

        return result;
    }

}

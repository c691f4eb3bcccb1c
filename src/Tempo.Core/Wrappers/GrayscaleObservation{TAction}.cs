using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Turns RGB frames (<c>[height, width, 3]</c> bytes) into grey ones with the ITU-R 601-2 luma transform.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>GrayScaleObservation</c>, which calls OpenCV's <c>cvtColor(frame, COLOR_RGB2GRAY)</c>:
/// Y = 0.299 R + 0.587 G + 0.114 B in OpenCV's 8-bit fixed point, <c>(4899 R + 9617 G + 1868 B + 2¹³) &gt;&gt; 14</c>
/// (weights scaled by 2¹⁴ and rounded to nearest), so white stays 255 and the result matches OpenCV's bytes exactly.
/// The observation is <c>[height, width]</c>, or <c>[height, width, 1]</c> with <c>keepDimension</c> (Gymnasium's
/// <c>keep_dim</c>); either is also a one-channel <c>[1, height, width]</c> frame for a CNN. The RGB frame goes into a
/// buffer the wrapper owns, so a step allocates nothing; resume observations are converted like step ones.
/// </remarks>
public sealed class GrayscaleObservation<TAction> : EnvWrapper<byte, TAction>
    where TAction : unmanaged
{
    // OpenCV's R2Y, G2Y, B2Y: 0.299, 0.587, 0.114 times 2^14, rounded; they sum to exactly 2^14.
    private const int RedWeight = 4899;
    private const int GreenWeight = 9617;
    private const int BlueWeight = 1868;
    private const int Shift = 14;
    private const int Half = 1 << (Shift - 1);

    private readonly BoxSpace<byte> _observationSpace;
    private readonly byte[] _rgb;

    /// <summary>Wraps <paramref name="inner"/>, whose observation space must be a byte box of shape <c>[height, width, 3]</c>.</summary>
    /// <param name="inner">The env observing RGB frames.</param>
    /// <param name="keepDimension">Keep a trailing channel axis of size 1 (<c>[height, width, 1]</c>).</param>
    public GrayscaleObservation(IEnv<byte, TAction> inner, bool keepDimension = false)
        : base(inner)
    {
        if (inner.ObservationSpace is not BoxSpace<byte> { Shape: [var height, var width, 3] })
        {
            throw new ArgumentException(
                $"GrayscaleObservation needs RGB frames, a byte box of shape [height, width, 3]; got {inner.ObservationSpace}.", nameof(inner));
        }

        KeepDimension = keepDimension;
        _observationSpace = keepDimension ? new BoxSpace<byte>(0, 255, height, width, 1) : new BoxSpace<byte>(0, 255, height, width);
        _rgb = new byte[height * width * 3];
    }

    /// <summary>Whether the observation keeps a trailing channel axis of size 1.</summary>
    public bool KeepDimension { get; }

    /// <inheritdoc/>
    public override Space<byte> ObservationSpace => _observationSpace;

    /// <summary>Converts one packed RGB24 frame into grey levels, one byte per pixel, as OpenCV's <c>COLOR_RGB2GRAY</c>.</summary>
    /// <param name="rgb">Pixels as R, G, B bytes.</param>
    /// <param name="grey">Receives one byte per pixel; its length is a third of <paramref name="rgb"/>'s.</param>
    public static void Convert(ReadOnlySpan<byte> rgb, Span<byte> grey)
    {
        if (rgb.Length != grey.Length * 3)
        {
            throw new ArgumentException($"{rgb.Length} RGB bytes make {rgb.Length / 3.0} grey pixels; the grey buffer has {grey.Length}.", nameof(grey));
        }

        for (var i = 0; i < grey.Length; i++)
        {
            var pixel = rgb.Slice(i * 3, 3);
            grey[i] = (byte)(((pixel[0] * RedWeight) + (pixel[1] * GreenWeight) + (pixel[2] * BlueWeight) + Half) >> Shift);
        }
    }

    /// <inheritdoc/>
    public override void Reset(Span<byte> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        Inner.Reset(_rgb, seed);
        Convert(_rgb, observation);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var result = Inner.Step(action, _rgb);
        Convert(_rgb, observation);
        return result;
    }

    /// <summary>Resumes the inner env and converts its fresh frame.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        InnerPausable.Resume(_rgb);
        Convert(_rgb, observation);
    }
}

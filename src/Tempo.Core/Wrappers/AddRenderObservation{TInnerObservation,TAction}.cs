using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Observes the inner env's rendered RGB frame instead of its own observation (pixel observations).</summary>
/// <typeparam name="TInnerObservation">The inner env's observation element type; its observations are computed and dropped.</typeparam>
/// <typeparam name="TAction">Action element type, passed through.</typeparam>
/// <remarks>
/// As Gymnasium 1.0's <c>AddRenderObservation(env, render_only=True)</c> (0.29's <c>PixelObservationWrapper(pixels_only=True)</c>):
/// after every reset, step and resume the inner env's <see cref="IRenderable.Render"/> frame becomes the observation,
/// shape <c>[height, width, 3]</c> (Gymnasium's HWC layout, bytes in [0, 255]). Only the render-only form exists here,
/// because an observation is one typed array. The inner observation goes into a buffer the wrapper owns and the frame
/// is drawn straight into the caller's buffer, so a step allocates nothing. The renderable is found anywhere in the
/// inner wrapper chain when the wrapper is made.
/// </remarks>
public sealed class AddRenderObservation<TInnerObservation, TAction> : IEnv<byte, TAction>, IEnvWrapper, IPausable<byte>
    where TInnerObservation : unmanaged
    where TAction : unmanaged
{
    private readonly BoxSpace<byte> _observationSpace;
    private readonly IRenderable _renderable;
    private readonly TInnerObservation[] _innerObservation;
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>, which must be able to render; the wrapper owns it and disposes it.</summary>
    public AddRenderObservation(IEnv<TInnerObservation, TAction> inner)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (!inner.TryFind<IRenderable>(out var renderable))
        {
            throw new ArgumentException($"{inner} cannot render frames (no IRenderable in its wrapper chain), so it has no pixels to observe.", nameof(inner));
        }

        _renderable = renderable;
        _observationSpace = new BoxSpace<byte>(0, 255, renderable.FrameHeight, renderable.FrameWidth, 3);
        _innerObservation = new TInnerObservation[inner.ObservationSpace.FlatSize];
    }

    /// <summary>The wrapped environment.</summary>
    public IEnv<TInnerObservation, TAction> Inner { get; }

    IEnv IEnvWrapper.Inner => Inner;

    /// <summary>The inner env's observation from the last reset, step or resume (the observation the frame replaced).</summary>
    public ReadOnlySpan<TInnerObservation> InnerObservation => _innerObservation;

    /// <inheritdoc/>
    public Space<byte> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public Space<TAction> ActionSpace => Inner.ActionSpace;

    ISpace IEnv.ObservationSpace => ObservationSpace;

    ISpace IEnv.ActionSpace => ActionSpace;

    /// <inheritdoc/>
    public bool CanPause => Inner is IPausable<TInnerObservation> { CanPause: true };

    /// <inheritdoc/>
    public bool IsPaused => Inner is IPausable<TInnerObservation> { IsPaused: true };

    /// <inheritdoc/>
    public void Reset(Span<byte> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        Inner.Reset(_innerObservation, seed);
        _renderable.Render(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<TAction> action, Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var result = Inner.Step(action, _innerObservation);
        _renderable.Render(observation);
        return result;
    }

    /// <inheritdoc/>
    public void Pause() => InnerPausable.Pause();

    /// <summary>Resumes the inner env and observes the frame of the world it resumed in.</summary>
    /// <inheritdoc/>
    public void Resume(Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        InnerPausable.Resume(_innerObservation);
        _renderable.Render(observation);
    }

    /// <inheritdoc/>
    public override string ToString() => $"AddRenderObservation<{Inner}>";

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Inner.Dispose();
        GC.SuppressFinalize(this);
    }

    private IPausable<TInnerObservation> InnerPausable =>
        Inner is IPausable<TInnerObservation> { CanPause: true } pausable
            ? pausable
            : throw new NotSupportedException($"{Inner} cannot pause; check CanPause before calling Pause or Resume.");
}

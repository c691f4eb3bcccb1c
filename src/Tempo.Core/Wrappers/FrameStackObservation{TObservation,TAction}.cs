using System.Numerics;
using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Observes the last <c>k</c> observations stacked along a new leading axis (shape <c>[k, …]</c>), oldest first.</summary>
/// <remarks>
/// As Gymnasium 0.29's <c>FrameStack</c>: after a reset every slot holds the reset observation (no zero
/// padding); each step drops the oldest frame and appends the new one as the last slot. Works for any box
/// observation (float vectors, byte images). The frames live in a ring buffer inside the wrapper, so a step
/// copies the stack out once and allocates nothing; the caller's buffer is only written, never read.
/// </remarks>
public sealed class FrameStackObservation<TObservation, TAction> : EnvWrapper<TObservation, TAction>
    where TObservation : unmanaged, INumber<TObservation>, IMinMaxValue<TObservation>
    where TAction : unmanaged
{
    private readonly BoxSpace<TObservation> _observationSpace;
    private readonly TObservation[] _frames;
    private readonly int _frameSize;
    private int _newest;

    /// <summary>Wraps <paramref name="inner"/>, whose observation space must be a box, stacking <paramref name="stackSize"/> frames.</summary>
    public FrameStackObservation(IEnv<TObservation, TAction> inner, int stackSize)
        : base(inner)
    {
        if (stackSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stackSize), stackSize, $"The frame stack size must be positive, got {stackSize}.");
        }

        if (inner.ObservationSpace is not BoxSpace<TObservation> frameSpace)
        {
            throw new ArgumentException($"Frame stacking needs a box observation space, got {inner.ObservationSpace}.", nameof(inner));
        }

        StackSize = stackSize;
        _frameSize = frameSpace.FlatSize;
        var size = checked(stackSize * _frameSize);
        var low = new TObservation[size];
        var high = new TObservation[size];
        for (var i = 0; i < stackSize; i++)
        {
            frameSpace.Low.CopyTo(low.AsSpan(i * _frameSize));
            frameSpace.High.CopyTo(high.AsSpan(i * _frameSize));
        }

        int[] shape = [stackSize, .. frameSpace.Shape];
        _observationSpace = new BoxSpace<TObservation>(low, high, shape);
        _frames = new TObservation[size];
    }

    /// <summary>The number of frames in the stack.</summary>
    public int StackSize { get; }

    /// <inheritdoc/>
    public override Space<TObservation> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public override void Reset(Span<TObservation> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var first = _frames.AsSpan(0, _frameSize);
        Inner.Reset(first, seed);
        for (var i = 1; i < StackSize; i++)
        {
            first.CopyTo(_frames.AsSpan(i * _frameSize, _frameSize));
        }

        _newest = StackSize - 1;
        _frames.CopyTo(observation);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<TObservation> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var slot = NextSlot();
        var result = Inner.Step(action, Frame(slot));
        _newest = slot;
        CopyStackTo(observation);
        return result;
    }

    /// <summary>Resumes the inner env; its fresh observation enters the stack as a step's would, dropping the oldest frame.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<TObservation> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var slot = NextSlot();
        InnerPausable.Resume(Frame(slot));
        _newest = slot;
        CopyStackTo(observation);
    }

    /// <summary>The slot after the newest: it holds the oldest frame, which the next observation overwrites in place.</summary>
    private int NextSlot() => _newest + 1 == StackSize ? 0 : _newest + 1;

    private Span<TObservation> Frame(int slot) => _frames.AsSpan(slot * _frameSize, _frameSize);

    private void CopyStackTo(Span<TObservation> observation)
    {
        // Oldest first: slots after the newest, then slots up to and including it.
        var oldest = _newest + 1 == StackSize ? 0 : _newest + 1;
        var tail = _frames.AsSpan(oldest * _frameSize);
        tail.CopyTo(observation);
        _frames.AsSpan(0, oldest * _frameSize).CopyTo(observation[tail.Length..]);
    }
}

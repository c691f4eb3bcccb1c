using System.Numerics;
using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Stacks the last <c>k</c> values of one named part of a dict observation (shape <c>[k, …]</c>, oldest first); the other parts stay current.</summary>
/// <remarks>
/// The dict counterpart of <see cref="FrameStackObservation{TObservation, TAction}"/>, with the same semantics: after a
/// reset every slot holds the reset value, each step (and each resume) drops the oldest and appends the newest. It
/// serves the usual image-plus-features observation (stack the frames, keep the features of the present). The stacked
/// part must be a box; its bounds repeat per slot. The inner observation and the ring of past values live in the
/// wrapper, so a step copies bytes and allocates nothing; the caller's buffer is only written.
/// </remarks>
public sealed class DictFrameStackObservation<TAction> : EnvWrapper<byte, TAction>
    where TAction : unmanaged
{
    private readonly DictSpace _observationSpace;
    private readonly DictPart _innerPart;
    private readonly DictPart _outerPart;
    private readonly (DictPart Inner, DictPart Outer)[] _currentParts;
    private readonly byte[] _innerObservation;
    private readonly byte[] _frames;
    private readonly int _frameBytes;
    private int _newest;

    /// <summary>Wraps <paramref name="inner"/>, whose observation space must be a dict, stacking <paramref name="stackSize"/> values of part <paramref name="partName"/>.</summary>
    public DictFrameStackObservation(IEnv<byte, TAction> inner, string partName, int stackSize)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(partName);
        if (stackSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stackSize), stackSize, $"The frame stack size must be positive, got {stackSize}.");
        }

        if (inner.ObservationSpace is not DictSpace innerSpace)
        {
            throw new ArgumentException($"Stacking a dict part needs a dict observation space, got {inner.ObservationSpace}.", nameof(inner));
        }

        if (!innerSpace.TryGetPart(partName, out var part))
        {
            throw new ArgumentException($"{innerSpace} has no part named '{partName}' to stack.", nameof(partName));
        }

        ISpace stacked = part.Space switch
        {
            BoxSpace<byte> box => Stack(box, stackSize),
            BoxSpace<float> box => Stack(box, stackSize),
            BoxSpace<int> box => Stack(box, stackSize),
            BoxSpace<double> box => Stack(box, stackSize),
            _ => throw new ArgumentException($"Frame stacking needs a box part; part '{partName}' is {part.Space}.", nameof(partName)),
        };

        var parts = innerSpace.Parts.ToDictionary(p => p.Name, p => p == part ? stacked : p.Space);
        _observationSpace = new DictSpace(parts);
        StackSize = stackSize;
        PartName = partName;
        _innerPart = part;
        _outerPart = _observationSpace[partName];

        // Names are unchanged, so the outer dict lists its parts in the inner one's order.
        _currentParts = [.. innerSpace.Parts.Where(p => p != part).Select(p => (p, _observationSpace.Parts[p.Index]))];
        _innerObservation = new byte[innerSpace.FlatSize];
        _frameBytes = part.ByteLength;
        _frames = new byte[checked(stackSize * _frameBytes)];
    }

    /// <summary>The number of values in the stack.</summary>
    public int StackSize { get; }

    /// <summary>The name of the stacked part.</summary>
    public string PartName { get; }

    /// <inheritdoc/>
    public override Space<byte> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public override void Reset(Span<byte> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        Inner.Reset(_innerObservation, seed);
        var first = _innerPart.ReadBytes(_innerObservation);
        for (var i = 0; i < StackSize; i++)
        {
            first.CopyTo(Frame(i));
        }

        _newest = StackSize - 1;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        var result = Inner.Step(action, _innerObservation);
        Push();
        WriteObservation(observation);
        return result;
    }

    /// <summary>Resumes the inner env; its fresh value of the part enters the stack as a step's would, dropping the oldest.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<byte> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        InnerPausable.Resume(_innerObservation);
        Push();
        WriteObservation(observation);
    }

    private static BoxSpace<T> Stack<T>(BoxSpace<T> frame, int stackSize)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var size = checked(stackSize * frame.FlatSize);
        var low = new T[size];
        var high = new T[size];
        for (var i = 0; i < stackSize; i++)
        {
            frame.Low.CopyTo(low.AsSpan(i * frame.FlatSize));
            frame.High.CopyTo(high.AsSpan(i * frame.FlatSize));
        }

        return new BoxSpace<T>(low, high, [stackSize, .. frame.Shape]);
    }

    /// <summary>Overwrites the oldest slot with the inner observation's part, making it the newest.</summary>
    private void Push()
    {
        _newest = _newest + 1 == StackSize ? 0 : _newest + 1;
        _innerPart.ReadBytes(_innerObservation).CopyTo(Frame(_newest));
    }

    private Span<byte> Frame(int slot) => _frames.AsSpan(slot * _frameBytes, _frameBytes);

    private void WriteObservation(Span<byte> observation)
    {
        _observationSpace.ClearPadding(observation);
        foreach (var (inner, outer) in _currentParts)
        {
            inner.ReadBytes(_innerObservation).CopyTo(outer.Bytes(observation));
        }

        // Oldest first: slots after the newest, then slots up to and including it.
        var stack = _outerPart.Bytes(observation);
        var oldest = _newest + 1 == StackSize ? 0 : _newest + 1;
        var tail = _frames.AsSpan(oldest * _frameBytes);
        tail.CopyTo(stack);
        _frames.AsSpan(0, oldest * _frameBytes).CopyTo(stack[tail.Length..]);
    }
}

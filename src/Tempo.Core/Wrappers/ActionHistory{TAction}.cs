using System.Runtime.InteropServices;
using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Wrappers;

/// <summary>Appends the last <c>k</c> actions to each observation, as real-time RL needs (rtgym's action buffer).</summary>
/// <remarks>
/// <para>
/// The observation becomes one flat vector: the inner observation, then <c>k</c> action slots, oldest first, the
/// action of the step just taken last. A discrete action (<see cref="DiscreteSpace"/>) fills its slot one-hot
/// (<c>N</c> floats, index <c>action − Start</c>); a continuous action (<see cref="BoxSpace{T}"/> of float) fills
/// its slot with its values, clipped into the action box (the action a clipping env actually applies).
/// After a reset every slot is zero (for one-hot slots: no action at all).
/// </para>
/// <para>
/// Bounds of the appended slots: [0, 1] for one-hot, the action bounds widened to include 0 (the value after
/// reset) for continuous actions. The inner observation must be a float box.
/// </para>
/// </remarks>
public sealed class ActionHistory<TAction> : EnvWrapper<float, TAction>
    where TAction : unmanaged
{
    private readonly BoxSpace<float> _observationSpace;
    private readonly DiscreteSpace? _discreteActions;
    private readonly BoxSpace<float>? _continuousActions;
    private readonly float[] _history;
    private readonly int _innerSize;

    /// <summary>Wraps <paramref name="inner"/>, appending its last <paramref name="historyLength"/> actions to the observation.</summary>
    public ActionHistory(IEnv<float, TAction> inner, int historyLength)
        : base(inner)
    {
        if (historyLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(historyLength), historyLength, $"The action history length must be positive, got {historyLength}.");
        }

        if (inner.ObservationSpace is not BoxSpace<float> innerObservationSpace)
        {
            throw new ArgumentException($"An action history needs a float box observation space, got {inner.ObservationSpace}.", nameof(inner));
        }

        (_discreteActions, _continuousActions) = inner.ActionSpace switch
        {
            DiscreteSpace discrete => (discrete, null),
            BoxSpace<float> box => ((DiscreteSpace?)null, box),
            _ => throw new ArgumentException(
                $"An action history supports discrete and float box action spaces, got {inner.ActionSpace}.", nameof(inner)),
        };

        HistoryLength = historyLength;
        SlotSize = _discreteActions?.N ?? _continuousActions!.FlatSize;
        _innerSize = innerObservationSpace.FlatSize;
        _history = new float[checked(historyLength * SlotSize)];

        var size = checked(_innerSize + _history.Length);
        var low = new float[size];
        var high = new float[size];
        innerObservationSpace.Low.CopyTo(low);
        innerObservationSpace.High.CopyTo(high);
        for (var slot = 0; slot < historyLength; slot++)
        {
            var offset = _innerSize + (slot * SlotSize);
            for (var j = 0; j < SlotSize; j++)
            {
                (low[offset + j], high[offset + j]) = _continuousActions is { } box
                    ? (Math.Min(box.Low[j], 0f), Math.Max(box.High[j], 0f))
                    : (0f, 1f);
            }
        }

        _observationSpace = new BoxSpace<float>(low, high);
    }

    /// <summary>How many past actions the observation carries.</summary>
    public int HistoryLength { get; }

    /// <summary>Floats per action slot: <c>N</c> for a discrete space, the action's flat size for a box.</summary>
    public int SlotSize { get; }

    /// <inheritdoc/>
    public override Space<float> ObservationSpace => _observationSpace;

    /// <inheritdoc/>
    public override void Reset(Span<float> observation, int? seed = null)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        Inner.Reset(observation[.._innerSize], seed);
        Array.Clear(_history);
        _history.CopyTo(observation[_innerSize..]);
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<TAction> action, Span<float> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);

        // Checked here too (cheaply) so that a lax inner env cannot make the one-hot index run off the slot.
        ContractErrors.RequireValidAction(action, Inner.ActionSpace, clippedByEnv: _continuousActions is not null);
        var result = Inner.Step(action, observation[.._innerSize]);

        // Slots are few and small: shifting them left by one slot is cheaper than a ring with two copies.
        _history.AsSpan(SlotSize).CopyTo(_history);
        var newest = _history.AsSpan(_history.Length - SlotSize);
        if (_discreteActions is { } discrete)
        {
            newest.Clear();
            newest[MemoryMarshal.Cast<TAction, int>(action)[0] - discrete.Start] = 1f;
        }
        else
        {
            var values = MemoryMarshal.Cast<TAction, float>(action);
            var low = _continuousActions!.Low;
            var high = _continuousActions.High;
            for (var j = 0; j < newest.Length; j++)
            {
                newest[j] = Math.Clamp(values[j], low[j], high[j]);
            }
        }

        _history.CopyTo(observation[_innerSize..]);
        return result;
    }

    /// <summary>Resumes the inner env and appends the current history (unchanged: no action was taken) to its fresh observation.</summary>
    /// <inheritdoc/>
    public override void Resume(Span<float> observation)
    {
        ContractErrors.RequireObservationLength(observation.Length, _observationSpace);
        InnerPausable.Resume(observation[.._innerSize]);
        _history.CopyTo(observation[_innerSize..]);
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tempo.Core.Envs;
using Tempo.Core.Spaces;

namespace Tempo.Core.Vector;

/// <summary>
/// The envs of a vector with everything both vector implementations share: validation, the call order,
/// and the per-env reset and autoreset step, so that sync and threaded vectors agree bit for bit.
/// </summary>
internal sealed class EnvBatch<TObservation, TAction> : IDisposable
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly IEnv<TObservation, TAction>[] _envs;
    private readonly ISplitStepping<TObservation, TAction>[]? _splitSteppers;
    private readonly object _owner;
    private Phase _phase = Phase.NeverReset;

    public EnvBatch(IReadOnlyList<IEnv<TObservation, TAction>> envs, object owner, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(envs, parameterName);
        _owner = owner;
        if (envs.Count == 0)
        {
            throw new ArgumentException("A vector env needs at least one env; got 0.", parameterName);
        }

        _envs = new IEnv<TObservation, TAction>[envs.Count];
        var seen = new Dictionary<IEnv<TObservation, TAction>, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < _envs.Length; i++)
        {
            var env = envs[i] ?? throw new ArgumentException($"Env {i} is null.", parameterName);
            if (!seen.TryAdd(env, i))
            {
                throw new ArgumentException($"Env {i} is the same instance as env {seen[env]}; every slot of a vector needs its own env.", parameterName);
            }

            _envs[i] = env;
        }

        ObservationSpace = _envs[0].ObservationSpace;
        ActionSpace = _envs[0].ActionSpace;
        for (var i = 1; i < _envs.Length; i++)
        {
            RequireSameSpace(i, "observation", _envs[i].ObservationSpace, ObservationSpace, parameterName);
            RequireSameSpace(i, "action", _envs[i].ActionSpace, ActionSpace, parameterName);
        }

        ActionSize = ActionSpace.FlatSize;
        _splitSteppers = SplitSteppers(_envs);
    }

    /// <summary>Whether every env can split its step (<see cref="ISplitStepping{TObservation, TAction}"/>), so that a step can submit all actions before waiting for any.</summary>
    public bool CanSplitStep => _splitSteppers is not null;

    /// <summary>Whether every env in the batch can pause.</summary>
    public bool CanPause
    {
        get
        {
            foreach (var env in _envs)
            {
                if (env is not IPausable<TObservation> { CanPause: true })
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Pauses every env, in order.</summary>
    public void Pause()
    {
        RequirePausable();
        foreach (var env in _envs)
        {
            ((IPausable<TObservation>)env).Pause();
        }
    }

    /// <summary>Resumes every env, writing each one's fresh observation into the batch observation.</summary>
    public void Resume(VectorStepBuffers<TObservation> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        RequirePausable();
        for (var i = 0; i < _envs.Length; i++)
        {
            ((IPausable<TObservation>)_envs[i]).Resume(buffers.Observation(i));
        }
    }

    private void RequirePausable()
    {
        if (!CanPause)
        {
            throw new NotSupportedException($"{_owner} cannot pause: not every env in it can; check CanPause first.");
        }
    }

    private enum Phase
    {
        NeverReset,
        Ready,
        InCall,
        Disposed,
    }

    public int Count => _envs.Length;

    public Space<TObservation> ObservationSpace { get; }

    public Space<TAction> ActionSpace { get; }

    public int ActionSize { get; }

    public VectorStepBuffers<TObservation> CreateBuffers() => new(Count, ObservationSpace.FlatSize);

    /// <summary>Validates a Reset call; the vector is not ready to step until <see cref="Complete"/>.</summary>
    public void BeginReset(VectorStepBuffers<TObservation> buffers, int? seed)
    {
        ObjectDisposedException.ThrowIf(_phase == Phase.Disposed, _owner);
        RequireBuffers(buffers);
        if (seed is { } s && s > int.MaxValue - (Count - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), s, $"Env i is seeded with seed + i; with {Count} envs the seed must be at most {int.MaxValue - (Count - 1)}.");
        }

        _phase = Phase.InCall;
    }

    /// <summary>Validates a Step call; if an env throws during the step, <see cref="Complete"/> is never reached and the vector needs a reset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BeginStep(int actionsLength, VectorStepBuffers<TObservation> buffers)
    {
        if (_phase != Phase.Ready)
        {
            ThrowStepNotAllowed();
        }

        RequireBuffers(buffers);
        if (actionsLength != Count * ActionSize)
        {
            ThrowWrongActionsLength(actionsLength, "actions");
        }

        _phase = Phase.InCall;
    }

    /// <summary>Marks a reset or step as finished without failures.</summary>
    public void Complete() => _phase = Phase.Ready;

    /// <summary>Resets envs [<paramref name="from"/>, <paramref name="to"/>) into their slots of the buffers.</summary>
    public void ResetRange(int from, int to, VectorStepBuffers<TObservation> buffers, int? seed)
    {
        var i = from;
        try
        {
            for (; i < to; i++)
            {
                _envs[i].Reset(buffers.ObservationSlot(i), seed + i);
                buffers.ClearStep(i);
            }
        }
        catch (Exception e)
        {
            throw Failure(i, "Reset", e);
        }
    }

    /// <summary>Steps envs [<paramref name="from"/>, <paramref name="to"/>) with their actions, autoresetting those that end.</summary>
    public void StepRange(int from, int to, ReadOnlySpan<TAction> actions, VectorStepBuffers<TObservation> buffers)
    {
        var i = from;
        try
        {
            for (; i < to; i++)
            {
                var env = _envs[i];
                var observation = buffers.ObservationSlot(i);
                var result = env.Step(actions.Slice(i * ActionSize, ActionSize), observation);
                Record(i, result, observation, buffers);
            }
        }
        catch (Exception e)
        {
            throw Failure(i, "Step", e);
        }
    }

    /// <summary>Submits the actions of envs [<paramref name="from"/>, <paramref name="to"/>) without waiting; <see cref="WaitRange"/> completes the step.</summary>
    public void SubmitRange(int from, int to, ReadOnlySpan<TAction> actions)
    {
        var steppers = _splitSteppers!;
        var i = from;
        try
        {
            for (; i < to; i++)
            {
                steppers[i].Submit(actions.Slice(i * ActionSize, ActionSize));
            }
        }
        catch (Exception e)
        {
            throw Failure(i, "Submit", e);
        }
    }

    /// <summary>Waits for the results of envs [<paramref name="from"/>, <paramref name="to"/>), autoresetting those that end, as <see cref="StepRange"/> does.</summary>
    public void WaitRange(int from, int to, VectorStepBuffers<TObservation> buffers)
    {
        var steppers = _splitSteppers!;
        var i = from;
        try
        {
            for (; i < to; i++)
            {
                var observation = buffers.ObservationSlot(i);
                var result = steppers[i].Wait(observation);
                Record(i, result, observation, buffers);
            }
        }
        catch (Exception e)
        {
            throw Failure(i, "Step", e);
        }
    }

    public void Dispose()
    {
        if (_phase == Phase.Disposed)
        {
            return;
        }

        _phase = Phase.Disposed;
        List<Exception>? failures = null;
        foreach (var env in _envs)
        {
            try
            {
                env.Dispose();
            }
            catch (Exception e)
            {
                // Dispose every env even if one fails, then report them all.
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("Disposing the envs of a vector failed.", failures);
        }
    }

    private static ISplitStepping<TObservation, TAction>[]? SplitSteppers(IEnv<TObservation, TAction>[] envs)
    {
        var steppers = new ISplitStepping<TObservation, TAction>[envs.Length];
        for (var i = 0; i < envs.Length; i++)
        {
            if (envs[i] is not ISplitStepping<TObservation, TAction> { CanSplitStep: true } stepper)
            {
                return null;
            }

            steppers[i] = stepper;
        }

        return steppers;
    }

    private void Record(int i, StepResult result, Span<TObservation> observation, VectorStepBuffers<TObservation> buffers)
    {
        buffers.Record(i, result);
        if (result.IsDone)
        {
            // Same-step autoreset (Gymnasium's AutoresetMode.SAME_STEP): keep the final observation for
            // bootstrapping truncated episodes, then start the next episode in the batch slot.
            observation.CopyTo(buffers.FinalObservationSlot(i));
            _envs[i].Reset(observation);
        }
    }

    private VectorEnvException Failure(int envIndex, string operation, Exception inner) =>
        new(envIndex, $"Env {envIndex} of {Count} threw during {operation}: {inner.Message}", inner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RequireBuffers(VectorStepBuffers<TObservation> buffers)
    {
        if (buffers is null || buffers.NumEnvs != Count || buffers.ObservationSize != ObservationSpace.FlatSize)
        {
            ThrowWrongBuffers(buffers);
        }
    }

    private static void RequireSameSpace(int envIndex, string kind, ISpace space, ISpace expected, string parameterName)
    {
        if (!SpaceComparison.AreEqual(space, expected))
        {
            throw new ArgumentException(
                $"Env {envIndex} has {kind} space {space}, but env 0 has {expected}; all envs of a vector must have the same spaces.",
                parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowStepNotAllowed()
    {
        switch (_phase)
        {
            case Phase.Disposed:
                throw new ObjectDisposedException(_owner.GetType().Name);
            case Phase.NeverReset:
                throw new InvalidOperationException($"{_owner.GetType().Name}: Step called before Reset; call Reset first.");
            default:
                throw new InvalidOperationException($"{_owner.GetType().Name}: the previous Reset or Step failed (an env threw); call Reset before stepping again.");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowWrongActionsLength(int actionsLength, string parameterName) =>
        throw new ArgumentException(
            $"The actions buffer has {actionsLength} elements; {Count} envs with action space {ActionSpace} need {Count} × {ActionSize} = {Count * ActionSize}.",
            parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowWrongBuffers(VectorStepBuffers<TObservation>? buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        throw new ArgumentException(
            $"The buffers are shaped for {buffers.NumEnvs} envs × {buffers.ObservationSize} observation elements; this vector needs {Count} × {ObservationSpace.FlatSize} (create them with CreateBuffers).",
            nameof(buffers));
    }
}

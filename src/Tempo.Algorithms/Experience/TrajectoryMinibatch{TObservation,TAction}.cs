using Tempo.Algorithms.Models;
using Tempo.Algorithms.Returns;

namespace Tempo.Algorithms.Experience;

/// <summary>Whole trajectories (env columns) of a <see cref="RolloutBatch{TObservation, TAction}"/>, time-major, evaluated under the current model with their V-trace targets.</summary>
/// <remarks>
/// The V-trace learners train on this. A minibatch keeps every selected env's T steps in order, so the V-trace
/// recursion runs intact along each trajectory. Truncation is folded into the rewards and discounts: a truncated
/// (not terminated) step gets γ·V(final observation) added to its reward and discount 0, which bootstraps it and
/// cuts the trace; a terminated step gets discount 0 and no bonus. Buffers grow to the largest minibatch and are
/// then reused, so a steady-state update allocates nothing.
/// </remarks>
internal sealed class TrajectoryMinibatch<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private const int ScalarSlots = 14;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private TObservation[] _observations = [];
    private TAction[] _actions = [];
    private TObservation[] _valueObservations = [];
    private float[] _valueEstimates = [];
    private float[] _scalars = [];
    private bool[] _truncatedOnly = [];
    private bool[] _ended = [];
    private int[] _columns = [];
    private int _truncatedCount;

    public TrajectoryMinibatch(int observationSize, int actionSize)
    {
        _observationSize = observationSize;
        _actionSize = actionSize;
    }

    /// <summary>Steps per trajectory (T).</summary>
    public int Steps { get; private set; }

    /// <summary>Trajectories side by side (B).</summary>
    public int Trajectories { get; private set; }

    /// <summary>T × B.</summary>
    public int Transitions => Steps * Trajectories;

    public ReadOnlySpan<TObservation> Observations => _observations.AsSpan(0, Transitions * _observationSize);

    public ReadOnlySpan<TAction> Actions => _actions.AsSpan(0, Transitions * _actionSize);

    /// <summary>log μ(a_t | x_t) recorded when acting.</summary>
    public Span<float> BehaviourLogProbs => Scalar(0);

    /// <summary>V(x_t) recorded when acting (for PPO-style value clipping).</summary>
    public Span<float> BehaviourValues => Scalar(1);

    /// <summary>r_t as the env gave them.</summary>
    public Span<float> Rewards => Scalar(2);

    /// <summary>r_t plus γ·V(final observation) on truncated steps: what V-trace sees.</summary>
    public Span<float> BootstrappedRewards => Scalar(3);

    /// <summary>γ·(1 − done_t), with done = terminated or truncated.</summary>
    public Span<float> Discounts => Scalar(4);

    /// <summary>log π(a_t | x_t) under the current model.</summary>
    public Span<float> TargetLogProbs => Scalar(5);

    /// <summary>Entropy of π(· | x_t) under the current model.</summary>
    public Span<float> Entropy => Scalar(6);

    /// <summary>V(x_t) under the current model.</summary>
    public Span<float> Values => Scalar(7);

    /// <summary>V-trace value targets v_t.</summary>
    public Span<float> Vs => Scalar(8);

    /// <summary>V-trace policy-gradient advantages ρ_t (r_t + γ_t v_{t+1} − V(x_t)).</summary>
    public Span<float> PolicyGradientAdvantages => Scalar(9);

    /// <summary>Scratch for the advantages the loss sees (normalized or not).</summary>
    public Span<float> Advantages => Scalar(10);

    public Span<float> LogProbGradients => Scalar(11);

    public Span<float> EntropyGradients => Scalar(12);

    public Span<float> ValueGradients => Scalar(13);

    /// <summary>V(x_T) under the current model, <c>[B]</c>.</summary>
    public Span<float> BootstrapValues => _valueEstimates.AsSpan(0, Trajectories);

    /// <summary>Copies the env columns <paramref name="columns"/> of <paramref name="rollout"/> into a <c>[T, columns.Length]</c> batch.</summary>
    public void Gather(RolloutBatch<TObservation, TAction> rollout, ReadOnlySpan<int> columns)
    {
        var steps = rollout.Steps;
        var envs = rollout.Envs;
        var width = columns.Length;
        Resize(steps, width);
        columns.CopyTo(_columns);
        _truncatedCount = 0;

        var observations = rollout.Observations;
        var actions = rollout.Actions;
        var logProbs = rollout.LogProbs;
        var values = rollout.Values;
        var rewards = rollout.Rewards;
        var terminated = rollout.Terminated;
        var truncated = rollout.Truncated;
        for (var t = 0; t < steps; t++)
        {
            for (var k = 0; k < width; k++)
            {
                var from = (t * envs) + columns[k];
                var to = (t * width) + k;
                observations.Slice(from * _observationSize, _observationSize).CopyTo(_observations.AsSpan(to * _observationSize));
                actions.Slice(from * _actionSize, _actionSize).CopyTo(_actions.AsSpan(to * _actionSize));
                BehaviourLogProbs[to] = logProbs[from];
                BehaviourValues[to] = values[from];
                Rewards[to] = rewards[from];
                _truncatedOnly[to] = truncated[from] && !terminated[from];
                _ended[to] = terminated[from] || truncated[from];
                if (_truncatedOnly[to])
                {
                    _truncatedCount++;
                }
            }
        }

        // One value batch: the B bootstrap observations, then the final observation of every truncated step.
        Grow(ref _valueObservations, (width + _truncatedCount) * _observationSize);
        var bootstrap = rollout.BootstrapObservations;
        for (var k = 0; k < width; k++)
        {
            bootstrap.Slice(columns[k] * _observationSize, _observationSize).CopyTo(_valueObservations.AsSpan(k * _observationSize));
        }

        var finals = rollout.FinalObservations;
        var slot = width;
        for (var to = 0; to < Transitions; to++)
        {
            if (_truncatedOnly[to])
            {
                var from = ((to / width) * envs) + columns[to % width];
                finals.Slice(from * _observationSize, _observationSize).CopyTo(_valueObservations.AsSpan(slot++ * _observationSize));
            }
        }
    }

    /// <summary>Evaluates the trajectories under <paramref name="model"/> and folds truncation into rewards and discounts.</summary>
    /// <remarks>The last model call is <see cref="IActorCritic{TObservation, TAction}.Evaluate"/>, so the caller can back-propagate right after.</remarks>
    public void Evaluate(IActorCritic<TObservation, TAction> model, float gamma)
    {
        var width = Trajectories;
        var estimates = width + _truncatedCount;
        Grow(ref _valueEstimates, estimates);
        model.EstimateValues(_valueObservations, estimates, _valueEstimates);

        var rewards = Rewards;
        var bootstrapped = BootstrappedRewards;
        var discounts = Discounts;
        var truncationValue = width;
        for (var i = 0; i < Transitions; i++)
        {
            discounts[i] = _ended[i] ? 0f : gamma;
            bootstrapped[i] = _truncatedOnly[i] ? rewards[i] + (gamma * _valueEstimates[truncationValue++]) : rewards[i];
        }

        model.Evaluate(Observations, Actions, Transitions, TargetLogProbs, Entropy, Values);
    }

    /// <summary>Computes <see cref="Vs"/> and <see cref="PolicyGradientAdvantages"/> from the evaluated batch.</summary>
    public void ComputeVtrace(float rhoBar, float cBar) =>
        Vtrace.Compute(
            BehaviourLogProbs, TargetLogProbs, Discounts, BootstrappedRewards, Values, BootstrapValues, rhoBar, cBar, Vs, PolicyGradientAdvantages);

    /// <summary>Writes a <c>[T, B]</c> minibatch quantity back to its place in a <c>[T, N]</c> rollout-shaped buffer.</summary>
    public void ScatterTo(ReadOnlySpan<float> source, Span<float> destination, int rolloutEnvs)
    {
        var width = Trajectories;
        for (var t = 0; t < Steps; t++)
        {
            for (var k = 0; k < width; k++)
            {
                destination[(t * rolloutEnvs) + _columns[k]] = source[(t * width) + k];
            }
        }
    }

    private Span<float> Scalar(int slot) => _scalars.AsSpan(slot * Transitions, Transitions);

    private void Resize(int steps, int width)
    {
        Steps = steps;
        Trajectories = width;
        var transitions = steps * width;
        Grow(ref _observations, transitions * _observationSize);
        Grow(ref _actions, transitions * _actionSize);
        Grow(ref _valueObservations, width * _observationSize);
        Grow(ref _valueEstimates, width);
        Grow(ref _scalars, transitions * ScalarSlots);
        Grow(ref _truncatedOnly, transitions);
        Grow(ref _ended, transitions);
        Grow(ref _columns, width);
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[length];
        }
    }
}

using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Experience;

/// <summary>A fixed-length chunk of one actor's experience: the unit that crosses from actors to the learner.</summary>
/// <remarks>
/// Buffers are time-major (<c>[T, N, …]</c>). Step t of env i observed <c>Observations[t, i]</c>, took
/// <c>Actions[t, i]</c> with behaviour log-probability <c>BehaviourLogProbs[t, i]</c>, and received
/// <c>Rewards[t, i]</c>. When the step ended the episode by truncation, <c>FinalObservations[t, i]</c> holds
/// the observation it was cut at (autoreset already replaced it), so the learner can bootstrap from it.
/// The segment owns its arrays and is reused: an actor fills it, the learner reads it, a pool recycles it.
/// </remarks>
public sealed class Segment<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly TObservation[] _observations;
    private readonly TObservation[] _finalObservations;
    private readonly TObservation[] _bootstrapObservations;
    private readonly TAction[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _behaviourLogProbs;
    private readonly float[] _behaviourValues;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly List<SegmentEpisode> _episodes;

    /// <summary>Allocates the buffers for <paramref name="layout"/>.</summary>
    public Segment(SegmentLayout layout)
    {
        layout.Validate();
        Layout = layout;
        var transitions = layout.Transitions;
        _observations = new TObservation[transitions * layout.ObservationSize];
        _finalObservations = new TObservation[transitions * layout.ObservationSize];
        _bootstrapObservations = new TObservation[layout.Envs * layout.ObservationSize];
        _actions = new TAction[transitions * layout.ActionSize];
        _rewards = new float[transitions];
        _behaviourLogProbs = new float[transitions];
        _behaviourValues = new float[transitions];
        _terminated = new bool[transitions];
        _truncated = new bool[transitions];
        _episodes = new List<SegmentEpisode>(transitions);
    }

    /// <summary>The segment's shape.</summary>
    public SegmentLayout Layout { get; }

    /// <summary>The actor that collected it.</summary>
    public ActorId Actor { get; set; }

    /// <summary>The version of the policy that chose the actions (the behaviour policy).</summary>
    public PolicyVersion BehaviourVersion { get; set; }

    /// <summary>The actor's running count of segments, from 0; lets a receiver detect gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>The actor's cumulative env steps (all its envs, since it first started) when the segment ended.</summary>
    /// <remarks>
    /// A cumulative count rather than the segment's own T × N: the learner side counts the run's steps as the sum over
    /// actors of the largest count seen, so a segment dropped on the way still has its steps counted by the next one,
    /// and a duplicate counts nothing twice.
    /// </remarks>
    public long ActorSteps { get; set; }

    /// <summary>Observations the actions were chosen from, <c>[T, N, observationSize]</c>.</summary>
    public Span<TObservation> Observations => _observations;

    /// <summary>Actions taken, <c>[T, N, actionSize]</c>.</summary>
    public Span<TAction> Actions => _actions;

    /// <summary>Rewards received, <c>[T, N]</c>.</summary>
    public Span<float> Rewards => _rewards;

    /// <summary>log μ(a_t | s_t) under the behaviour policy, <c>[T, N]</c>.</summary>
    public Span<float> BehaviourLogProbs => _behaviourLogProbs;

    /// <summary>V(s_t) under the behaviour policy, <c>[T, N]</c>.</summary>
    public Span<float> BehaviourValues => _behaviourValues;

    /// <summary>Whether step t ended its episode in a terminal state, <c>[T, N]</c>.</summary>
    public Span<bool> Terminated => _terminated;

    /// <summary>Whether step t ended its episode by truncation, <c>[T, N]</c>.</summary>
    public Span<bool> Truncated => _truncated;

    /// <summary>The observation a truncated episode was cut at, <c>[T, N, observationSize]</c>; meaningful only where truncated.</summary>
    public Span<TObservation> FinalObservations => _finalObservations;

    /// <summary>The observation after the last step, to bootstrap the segment's tail, <c>[N, observationSize]</c>.</summary>
    public Span<TObservation> BootstrapObservations => _bootstrapObservations;

    /// <summary>Episodes that finished during the segment, in the order they ended; they travel with the segment so the learner side learns of them wherever the actor runs.</summary>
    public List<SegmentEpisode> Episodes => _episodes;

    /// <summary>Whether the segment is resting in a <see cref="SegmentPool{TObservation, TAction}"/>; read and written under the pool's lock.</summary>
    internal bool IsPooled { get; set; }

    /// <summary>Observation of step <paramref name="step"/> of env <paramref name="env"/>.</summary>
    public Span<TObservation> ObservationAt(int step, int env) =>
        _observations.AsSpan(((step * Layout.Envs) + env) * Layout.ObservationSize, Layout.ObservationSize);

    /// <summary>Forgets the episodes and flags so the segment can be filled again.</summary>
    public void Clear()
    {
        _episodes.Clear();
        Array.Clear(_terminated);
        Array.Clear(_truncated);
    }
}

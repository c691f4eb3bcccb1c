using Tempo.Algorithms.Policies;
using Tempo.Core.Timing;

namespace Tempo.Runtime.Hosts.Remote;

/// <summary>What an actor process reports about itself to its fleet: steps, the policy it acts with, and its worst action gaps and late ticks.</summary>
/// <param name="Steps">Env steps this process's actors took.</param>
/// <param name="SegmentsWritten">Segments handed to the transport.</param>
/// <param name="PolicyVersion">The oldest policy version any of its actors acts with, or <see langword="null"/> before the first snapshot.</param>
/// <param name="ActionGaps">The action gaps since the previous progress read, of its env with the worst p99, or <see langword="null"/> when no env records gaps (each read starts a new window).</param>
/// <param name="Failures">Times an actor threw (and was rebuilt, up to the restart limit).</param>
/// <param name="LateTicks">World ticks its live envs' clocks ran late (deadline overruns) since the process started; 0 without live envs.</param>
public readonly record struct ActorProcessProgress(long Steps, long SegmentsWritten, PolicyVersion? PolicyVersion, DurationSummary? ActionGaps, long Failures, long LateTicks);

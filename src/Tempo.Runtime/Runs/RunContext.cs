using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Runtime.Runs;

/// <summary>What every run composition starts from: the registry, the validated settings, the caller's hooks, the checkpoint it resumes.</summary>
/// <param name="Registry">Where the env is registered.</param>
/// <param name="Settings">The validated settings.</param>
/// <param name="Hooks">The caller's hooks.</param>
/// <param name="Resumed">The checkpoint's metadata when resuming (already checked compatible), or null.</param>
/// <param name="IsDefaultFolder">Whether the run folder was chosen fresh under <c>runs/</c> (then <c>runs/latest</c> links to it).</param>
/// <param name="CancellationToken">The caller's cancellation.</param>
internal sealed record RunContext(EnvRegistry Registry, RunSettings Settings, RunHooks Hooks, TrainingCheckpoint? Resumed, bool IsDefaultFolder, CancellationToken CancellationToken)
{
    /// <summary>The run folder (chosen before the run was composed, so never null here).</summary>
    public string RunDirectory => Settings.RunDirectory!;

    /// <summary>How many times the run was resumed, this time included.</summary>
    public int Resumes => Resumed is null ? 0 : Resumed.Resumes + 1;

    /// <summary>The seed envs are reset with now: the run's seed, or for a resumed run one derived from it and the resume count, so a resumed run does not replay its first episodes.</summary>
    public int FirstEnvSeed => Resumes == 0 ? Settings.Seed : (int)Core.Seeding.RandomSource.DeriveSeed(Settings.Seed, 100 + Resumes);
}

using Tempo.Core.Envs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Runtime.Runs;

/// <summary>What an evaluation played: each episode's statistics, and which policy played them.</summary>
/// <param name="Env">The env id the checkpoint was trained on.</param>
/// <param name="Model">The network that played.</param>
/// <param name="PolicyVersion">The policy version of the checkpoint's weights.</param>
/// <param name="GlobalStep">Env steps the policy had trained for.</param>
/// <param name="Episodes">The episodes played, in order.</param>
/// <param name="VideoPath">The full path of the recorded first episode, or null.</param>
public sealed record EvaluationOutcome(string Env, ModelSpec Model, long PolicyVersion, long GlobalStep, IReadOnlyList<EpisodeStatistics> Episodes, string? VideoPath)
{
    /// <summary>Mean return over the episodes.</summary>
    public double MeanReturn => Episodes.Average(e => e.Return);
}

namespace Tempo.Algorithms.Returns;

/// <summary>Generalized advantage estimation (Schulman et al. 2016, eq. 16) over a time-major rollout.</summary>
/// <remarks>
/// Buffers are time-major, <c>[T, N]</c> flattened: step t of env i is at <c>t * N + i</c>.
/// Unlike CleanRL's loop, terminations and truncations are told apart: a terminated step bootstraps
/// nothing, a truncated step bootstraps from V(final observation) — the value of the observation the
/// episode was cut at, which autoreset replaced in the rollout — and neither lets advantages flow back
/// across the episode boundary.
/// </remarks>
public static class Gae
{
    /// <summary>Computes advantages Â_t and returns Â_t + V(s_t).</summary>
    /// <param name="rewards">r_t, <c>[T, N]</c>.</param>
    /// <param name="values">V(s_t), <c>[T, N]</c>.</param>
    /// <param name="terminated">Whether step t ended its episode in a terminal state, <c>[T, N]</c>.</param>
    /// <param name="truncated">Whether step t ended its episode by truncation, <c>[T, N]</c>; ignored where terminated.</param>
    /// <param name="truncationValues">V(final observation) at truncated steps, <c>[T, N]</c>; read only where truncated.</param>
    /// <param name="bootstrapValues">V(s_T), the value of the observation after the last step, <c>[N]</c>.</param>
    /// <param name="gamma">Discount γ.</param>
    /// <param name="lambda">GAE λ.</param>
    /// <param name="advantages">Receives Â_t, <c>[T, N]</c>.</param>
    /// <param name="returns">Receives the λ-returns Â_t + V(s_t), <c>[T, N]</c>.</param>
    public static void Compute(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> truncationValues,
        ReadOnlySpan<float> bootstrapValues,
        float gamma,
        float lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        var numEnvs = bootstrapValues.Length;
        var length = rewards.Length;
        RolloutChecks.RequireLength(values.Length, length, nameof(values));
        RolloutChecks.RequireLength(terminated.Length, length, nameof(terminated));
        RolloutChecks.RequireLength(truncated.Length, length, nameof(truncated));
        RolloutChecks.RequireLength(truncationValues.Length, length, nameof(truncationValues));
        RolloutChecks.RequireLength(advantages.Length, length, nameof(advantages));
        RolloutChecks.RequireLength(returns.Length, length, nameof(returns));

        var steps = RolloutChecks.StepCount(length, numEnvs, nameof(rewards), nameof(bootstrapValues));
        for (var env = 0; env < numEnvs; env++)
        {
            var nextValue = bootstrapValues[env];
            var lastAdvantage = 0f;
            for (var t = steps - 1; t >= 0; t--)
            {
                var i = (t * numEnvs) + env;
                float next, carry;
                if (terminated[i])
                {
                    (next, carry) = (0f, 0f);
                }
                else if (truncated[i])
                {
                    (next, carry) = (truncationValues[i], 0f);
                }
                else
                {
                    (next, carry) = (nextValue, 1f);
                }

                var delta = rewards[i] + (gamma * next) - values[i];
                lastAdvantage = delta + (gamma * lambda * carry * lastAdvantage);
                advantages[i] = lastAdvantage;
                returns[i] = lastAdvantage + values[i];
                nextValue = values[i];
            }
        }
    }
}

namespace Tempo.Algorithms.Returns;

/// <summary>V-trace off-policy value targets and policy-gradient advantages (Espeholt et al. 2018, IMPALA, eq. 1).</summary>
/// <remarks>
/// Buffers are time-major, <c>[T, B]</c> flattened. <c>discounts[t]</c> is γ·(1 − done_t): zero where the
/// episode ended after step t, so that neither targets nor traces cross episode boundaries.
/// </remarks>
public static class Vtrace
{
    /// <summary>Computes v_s and the advantages ρ_s (r_s + γ v_{s+1} − V(x_s)).</summary>
    /// <param name="behaviourLogProbs">log μ(a_t | x_t), the actor's policy at acting time, <c>[T, B]</c>.</param>
    /// <param name="targetLogProbs">log π(a_t | x_t), the learner's current policy, <c>[T, B]</c>.</param>
    /// <param name="discounts">γ·(1 − done_t), <c>[T, B]</c>.</param>
    /// <param name="rewards">r_t, <c>[T, B]</c>.</param>
    /// <param name="values">V(x_t) under the learner's value function, <c>[T, B]</c>.</param>
    /// <param name="bootstrapValues">V(x_T), <c>[B]</c>.</param>
    /// <param name="rhoBar">Truncation ρ̄ of the importance weights in the TD errors (and the policy gradient).</param>
    /// <param name="cBar">Truncation c̄ of the trace-cutting weights.</param>
    /// <param name="vs">Receives the value targets v_t, <c>[T, B]</c>.</param>
    /// <param name="policyGradientAdvantages">Receives ρ_t (r_t + γ_t v_{t+1} − V(x_t)), <c>[T, B]</c>.</param>
    public static void Compute(
        ReadOnlySpan<float> behaviourLogProbs,
        ReadOnlySpan<float> targetLogProbs,
        ReadOnlySpan<float> discounts,
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> bootstrapValues,
        float rhoBar,
        float cBar,
        Span<float> vs,
        Span<float> policyGradientAdvantages)
    {
        var batch = bootstrapValues.Length;
        var length = rewards.Length;
        RolloutChecks.RequireLength(behaviourLogProbs.Length, length, nameof(behaviourLogProbs));
        RolloutChecks.RequireLength(targetLogProbs.Length, length, nameof(targetLogProbs));
        RolloutChecks.RequireLength(discounts.Length, length, nameof(discounts));
        RolloutChecks.RequireLength(values.Length, length, nameof(values));
        RolloutChecks.RequireLength(vs.Length, length, nameof(vs));
        RolloutChecks.RequireLength(policyGradientAdvantages.Length, length, nameof(policyGradientAdvantages));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rhoBar);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cBar);

        var steps = RolloutChecks.StepCount(length, batch, nameof(rewards), nameof(bootstrapValues));
        for (var b = 0; b < batch; b++)
        {
            // Backward recursion: v_t − V(x_t) = δ_t + γ_t c_t (v_{t+1} − V(x_{t+1})).
            var nextValue = bootstrapValues[b];
            var nextVs = bootstrapValues[b];
            var accumulated = 0f;
            for (var t = steps - 1; t >= 0; t--)
            {
                var i = (t * batch) + b;
                var ratio = MathF.Exp(targetLogProbs[i] - behaviourLogProbs[i]);
                var rho = MathF.Min(rhoBar, ratio);
                var c = MathF.Min(cBar, ratio);
                var delta = rho * (rewards[i] + (discounts[i] * nextValue) - values[i]);
                accumulated = delta + (discounts[i] * c * accumulated);
                var target = values[i] + accumulated;
                policyGradientAdvantages[i] = rho * (rewards[i] + (discounts[i] * nextVs) - values[i]);
                vs[i] = target;
                nextValue = values[i];
                nextVs = target;
            }
        }
    }
}

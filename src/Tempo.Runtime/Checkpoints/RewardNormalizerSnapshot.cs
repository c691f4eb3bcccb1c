using Tempo.Core.Wrappers;

namespace Tempo.Runtime.Checkpoints;

/// <summary>A reward normalizer's return statistics and running discounted return.</summary>
/// <param name="ReturnStatistics">Statistics of the discounted return.</param>
/// <param name="DiscountedReturn">The running discounted return.</param>
public sealed record RewardNormalizerSnapshot(NormalizerSnapshot ReturnStatistics, double DiscountedReturn)
{
    /// <summary>Captures <paramref name="state"/>.</summary>
    public static RewardNormalizerSnapshot From(NormalizeRewardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(NormalizerSnapshot.From(state.ReturnStatistics), state.DiscountedReturn);
    }

    /// <summary>Restores the normalizer state.</summary>
    public NormalizeRewardState ToState() => new(ReturnStatistics.ToState(), DiscountedReturn);
}

using Tempo.Core.Statistics;

namespace Tempo.Core.Wrappers;

/// <summary>An immutable snapshot of a <c>NormalizeReward</c> wrapper: the return statistics and the discounted-return accumulator.</summary>
/// <param name="ReturnStatistics">The running statistics of the discounted return.</param>
/// <param name="DiscountedReturn">The discounted return accumulated so far.</param>
public sealed record NormalizeRewardState(RunningMeanStdState ReturnStatistics, double DiscountedReturn);

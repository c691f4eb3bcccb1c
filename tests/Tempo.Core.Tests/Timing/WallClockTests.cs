namespace Tempo.Core.Tests.Timing;

/// <summary>Tests that measure wall-clock precision run alone, after the parallel ones, so the suite's own load does not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockTests
{
    public const string Name = "Wall clock";
}

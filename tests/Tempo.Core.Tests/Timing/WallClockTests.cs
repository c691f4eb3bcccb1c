namespace Tempo.Core.Tests.Timing;

/// <summary>
/// Tests on the wall clock (live envs with their tick threads, the real-time clock, the waiter) run alone, after the
/// parallel ones: the suite's own load does not skew their timing, and their spinning threads do not disturb other
/// tests' measurements (steady-state allocation checks).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockTests
{
    public const string Name = "Wall clock";
}

namespace Tempo.Runtime.Tests.Schedules;

/// <summary>The test collection of wall-clock measurements: they run alone, so that other tests' busy threads do not stretch their gaps.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Wall clock";
}

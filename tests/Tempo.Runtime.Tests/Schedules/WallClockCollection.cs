namespace Tempo.Runtime.Tests.Schedules;

/// <summary>Tests that measure wall-clock timing run alone, so that other tests' busy threads do not stretch their gaps.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Wall clock";
}

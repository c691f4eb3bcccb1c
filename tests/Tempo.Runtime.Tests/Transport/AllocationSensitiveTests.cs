namespace Tempo.Runtime.Tests.Transport;

/// <summary>Tests that count process-wide allocations run alone, so other tests' allocations do not land in their counts.</summary>
[CollectionDefinition(nameof(AllocationSensitiveTests), DisableParallelization = true)]
public sealed class AllocationSensitiveTests;

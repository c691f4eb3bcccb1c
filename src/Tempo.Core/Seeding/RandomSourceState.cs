namespace Tempo.Core.Seeding;

/// <summary>The complete state of a <see cref="RandomSource"/>: four xoshiro words and a cached normal variate.</summary>
public readonly record struct RandomSourceState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal);

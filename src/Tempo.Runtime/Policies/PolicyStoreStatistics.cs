namespace Tempo.Runtime.Policies;

/// <summary>A snapshot of a policy store's counters.</summary>
/// <param name="Published">Snapshots published since the store was created.</param>
/// <param name="Buffers">Weight buffers the store's ring holds; it grows only while there are more concurrent readers than buffers, so it stays at most readers + 2.</param>
public readonly record struct PolicyStoreStatistics(long Published, int Buffers);

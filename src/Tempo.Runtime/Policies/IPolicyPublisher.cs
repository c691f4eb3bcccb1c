using Tempo.Algorithms.Policies;

namespace Tempo.Runtime.Policies;

/// <summary>The learner's side of policy distribution: makes a snapshot the newest one actors will load.</summary>
public interface IPolicyPublisher
{
    /// <summary>Publishes a copy of <paramref name="snapshot"/> as the newest version; the caller may overwrite it as soon as this returns.</summary>
    /// <exception cref="ArgumentException">The snapshot is not newer than the one published, has another weight count, or holds a NaN or infinite weight (such a snapshot is never published).</exception>
    void Publish(PolicySnapshot snapshot);
}

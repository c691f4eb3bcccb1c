using Tempo.Algorithms.Policies;
namespace Tempo.Runtime.Policies;

/// <summary>The in-process policy store: one volatile reference, so publishing and reading never block.</summary>
public sealed class PolicyStore : IPolicyStore
{
    private readonly Lock _waitersLock = new();
    private PolicySnapshot? _latest;
    private TaskCompletionSource<PolicySnapshot>? _nextPublished;

    /// <inheritdoc/>
    public void Publish(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        TaskCompletionSource<PolicySnapshot>? waiters;
        lock (_waitersLock)
        {
            var current = Volatile.Read(ref _latest);
            if (current is not null && snapshot.Version <= current.Version)
            {
                throw new ArgumentException($"Snapshot {snapshot.Version} is not newer than the published {current.Version}.", nameof(snapshot));
            }

            Volatile.Write(ref _latest, snapshot);
            waiters = _nextPublished;
            _nextPublished = null;
        }

        // Continuations run asynchronously (see WaitForNewerAsync), so publishing never runs actor code.
        waiters?.TrySetResult(snapshot);
    }

    /// <inheritdoc/>
    public bool TryGetLatest(out PolicySnapshot snapshot)
    {
        snapshot = Volatile.Read(ref _latest)!;
        return snapshot is not null;
    }

    /// <inheritdoc/>
    public async ValueTask<PolicySnapshot> WaitForNewerAsync(PolicyVersion current, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task<PolicySnapshot> next;
            lock (_waitersLock)
            {
                var latest = _latest;
                if (latest is not null && latest.Version > current)
                {
                    return latest;
                }

                _nextPublished ??= new TaskCompletionSource<PolicySnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                next = _nextPublished.Task;
            }

            var published = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (published.Version > current)
            {
                return published;
            }
        }
    }
}

using Tempo.Algorithms.Policies;
using Tempo.Runtime.Policies;

namespace Tempo.Runtime.Tests.Policies;

/// <summary>The in-process store's promises: newest wins, non-finite snapshots are refused, buffers are reused and never overwritten while read.</summary>
public sealed class PolicyStoreTests
{
    private const int Weights = 64;

    [Fact]
    public void Publish_NonFiniteWeight_IsRefusedAndNothingIsPublished()
    {
        var store = new PolicyStore(Weights);
        var snapshot = new PolicySnapshot(Weights) { Version = new PolicyVersion(1) };
        snapshot.Weights[7] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => store.Publish(snapshot));

        Assert.Contains("index 7", error.Message, StringComparison.Ordinal);
        Assert.Null(store.LatestVersion);
        Assert.False(store.TryLoadNewer(new CheckingPolicy(), null));
    }

    [Fact]
    public void Publish_OlderVersion_IsRejected()
    {
        var store = new PolicyStore(Weights);
        store.Publish(Filled(3));
        Assert.Throws<ArgumentException>(() => store.Publish(Filled(3)));
        Assert.Equal(new PolicyVersion(3), store.LatestVersion);
    }

    [Fact]
    public void TryLoadNewer_LoadsOnlyWhenNewer()
    {
        var store = new PolicyStore(Weights);
        var policy = new CheckingPolicy();
        store.Publish(Filled(0));

        Assert.True(store.TryLoadNewer(policy, null));
        Assert.False(store.TryLoadNewer(policy, policy.Version));
        store.Publish(Filled(1));
        Assert.True(store.TryLoadNewer(policy, policy.Version));
        Assert.Equal(new PolicyVersion(1), policy.Version);
    }

    [Fact]
    public void PublishWhileSlowReadersLoad_ReadersNeverSeeATornBufferAndTheRingStaysBounded()
    {
        // Each version's weights all equal the version number, so a buffer overwritten during a load shows as mixed values.
        const int readers = 3;
        var store = new PolicyStore(Weights);
        store.Publish(Filled(0));
        using var done = new CancellationTokenSource();
        var loads = new long[readers];
        var torn = new int[readers];
        var threads = Enumerable.Range(0, readers).Select(r => new Thread(() =>
        {
            var policy = new CheckingPolicy();
            while (!done.IsCancellationRequested)
            {
                if (store.TryLoadNewer(policy, null))
                {
                    loads[r]++;
                }
            }

            torn[r] = policy.TornLoads;
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var scratch = new PolicySnapshot(Weights);
        for (var version = 1; version <= 5_000; version++)
        {
            scratch.Weights.Fill(version);
            scratch.Version = new PolicyVersion(version);
            store.Publish(scratch);
        }

        // A reader a busy machine has not scheduled yet may have loaded nothing; let every one load the last version
        // (bounded, so a broken store fails instead of hanging) before they stop.
        var everyReaderLoaded = SpinWait.SpinUntil(() => Enumerable.Range(0, readers).All(r => Volatile.Read(ref loads[r]) > 0), TimeSpan.FromSeconds(20));
        done.Cancel();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.True(everyReaderLoaded, "a reader never loaded a snapshot");
        Assert.All(loads, count => Assert.True(count > 0));
        Assert.All(torn, count => Assert.Equal(0, count));
        Assert.Equal(5_001, store.Statistics.Published);
        Assert.InRange(store.Statistics.Buffers, 1, readers + 2);
    }

    private static PolicySnapshot Filled(long version)
    {
        var snapshot = new PolicySnapshot(Weights) { Version = new PolicyVersion(version) };
        snapshot.Weights.Fill(version);
        return snapshot;
    }

    /// <summary>A policy whose Load reads slowly and checks every weight equals the snapshot's version.</summary>
    private sealed class CheckingPolicy : IPolicy<float, int>
    {
        public PolicyVersion Version { get; private set; }

        public int TornLoads { get; private set; }

        public void Act(ReadOnlySpan<float> observations, int batch, ActionSelection selection, Span<int> actions, Span<float> logProbs, Span<float> values) =>
            throw new NotSupportedException();

        public void EstimateValues(ReadOnlySpan<float> observations, int batch, Span<float> values) => throw new NotSupportedException();

        public void Load(PolicySnapshot snapshot)
        {
            var expected = (float)snapshot.Version.Value;
            foreach (var weight in snapshot.Weights)
            {
                Thread.SpinWait(20);
                if (weight != expected)
                {
                    TornLoads++;
                    break;
                }
            }

            Version = snapshot.Version;
        }
    }
}

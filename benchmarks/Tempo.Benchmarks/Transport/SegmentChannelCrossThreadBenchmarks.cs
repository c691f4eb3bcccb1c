using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;

namespace Tempo.Benchmarks.Transport;

/// <summary>
/// Segments per second from an actor thread to a learner-side reader through a small wait-mode channel (nothing is
/// dropped, so every segment is counted); segments/s = 1 / (time per operation).
/// </summary>
[MemoryDiagnoser]
public class SegmentChannelCrossThreadBenchmarks
{
    private const int Segments = 4096;
    private static readonly SegmentLayout _cartPole = new(Steps: 128, Envs: 4, ObservationSize: 4, ActionSize: 1);

    private SegmentPool<float, int> _pool = null!;
    private SegmentChannel<Segment<float, int>> _channel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new SegmentPool<float, int>(_cartPole, capacity: 64);
        _channel = new SegmentChannel<Segment<float, int>>(new SegmentChannelOptions { Capacity = 16, WhenFull = QueueFullMode.Wait });
        for (var i = 0; i < 64; i++)
        {
            _pool.Return(new Segment<float, int>(_cartPole));
        }
    }

    /// <summary>The reader blocks in <c>TryRead</c> with a timeout, as a learner thread does.</summary>
    [Benchmark(OperationsPerInvoke = Segments)]
    public void ActorThreadToBlockingReader()
    {
        var writer = Task.Factory.StartNew(WriteAll, TaskCreationOptions.LongRunning);
        for (var read = 0; read < Segments; read++)
        {
            _channel.Reader.TryRead(out var segment, Timeout.InfiniteTimeSpan);
            _pool.Return(segment!);
        }

        writer.Wait();
    }

    /// <summary>The reader waits with <c>WaitToReadAsync</c> and drains with <c>TryRead</c>.</summary>
    [Benchmark(OperationsPerInvoke = Segments)]
    public async Task ActorThreadToAsyncReader()
    {
        var writer = Task.Factory.StartNew(WriteAll, TaskCreationOptions.LongRunning);
        var read = 0;
        while (read < Segments)
        {
            await _channel.Reader.WaitToReadAsync().ConfigureAwait(false);
            while (_channel.Reader.TryRead(out var segment))
            {
                _pool.Return(segment);
                read++;
            }
        }

        await writer.ConfigureAwait(false);
    }

    private void WriteAll()
    {
        for (var i = 0; i < Segments; i++)
        {
            _channel.Writer.Write(_pool.Rent());
        }
    }
}

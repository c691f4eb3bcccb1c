using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport;

namespace Tempo.Benchmarks.Transport;

/// <summary>In-process channel cost per segment, one thread writing and reading pooled _cartPole-sized segments; segments/s = 1 / (time per operation).</summary>
[MemoryDiagnoser]
public class SegmentChannelBenchmarks
{
    private const int Segments = 4096;
    private static readonly SegmentLayout _cartPole = new(Steps: 128, Envs: 4, ObservationSize: 4, ActionSize: 1);

    private SegmentPool<float, int> _pool = null!;
    private SegmentChannel<Segment<float, int>> _channel = null!;

    [Params(QueueFullMode.DropOldest, QueueFullMode.Wait)]
    public QueueFullMode WhenFull { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new SegmentPool<float, int>(_cartPole, capacity: 128);
        _channel = new SegmentChannel<Segment<float, int>>(new SegmentChannelOptions { Capacity = 64, WhenFull = WhenFull }, _pool.Return);
        for (var i = 0; i < 128; i++)
        {
            _pool.Return(new Segment<float, int>(_cartPole));
        }
    }

    /// <summary>One thread writes and reads: the cost of the channel itself, uncontended (in drop-oldest mode the queue never fills here).</summary>
    [Benchmark(OperationsPerInvoke = Segments)]
    public void WriteRead_SameThread()
    {
        for (var i = 0; i < Segments; i++)
        {
            _channel.Writer.TryWrite(_pool.Rent());
            _channel.Reader.TryRead(out var segment);
            _pool.Return(segment!);
        }
    }
}

using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;
using Tempo.Core.Envs;
using Tempo.Runtime.Transport;
using Tempo.Runtime.Transport.Wire;

namespace Tempo.Benchmarks.Transport;

/// <summary>Wire encode and validating decode of a _cartPole-sized segment (128 steps × 4 envs × 4 floats); MB/s = message bytes / time.</summary>
[MemoryDiagnoser]
public class SegmentCodecBenchmarks
{
    private static readonly SegmentLayout _cartPole = new(Steps: 128, Envs: 4, ObservationSize: 4, ActionSize: 1);

    private SegmentCodec<float, int> _codec = null!;
    private Segment<float, int> _segment = null!;
    private Segment<float, int> _target = null!;
    private byte[] _buffer = null!;
    private int _length;

    [GlobalSetup]
    public void Setup()
    {
        _codec = new SegmentCodec<float, int>(new RunId(Guid.Parse("6c1f0a52-3d7e-4f5b-9a41-0b2d8e7c9f13")), _cartPole, discreteActionCount: 2);
        _segment = new Segment<float, int>(_cartPole);
        _target = new Segment<float, int>(_cartPole);
        var random = new Random(1);
        foreach (ref var value in _segment.Observations)
        {
            value = (float)random.NextDouble();
        }

        foreach (ref var value in _segment.Actions)
        {
            value = random.Next(2);
        }

        foreach (ref var value in _segment.Rewards)
        {
            value = 1;
        }

        _segment.Actor = new ActorId(3);
        _segment.BehaviourVersion = new PolicyVersion(42);
        _segment.Truncated[100] = _segment.Truncated[300] = true;
        for (var e = 0; e < 4; e++)
        {
            _segment.Episodes.Add(new SegmentEpisode(0, new EpisodeStatistics(200, 200, 4.0)));
        }

        _buffer = new byte[_codec.MaxEncodedLength];
        _length = _codec.Encode(_segment, _buffer);
    }

    /// <summary>Bytes in one message, to turn times into MB/s.</summary>
    public int MessageBytes => _length;

    [Benchmark]
    public int Encode() => _codec.Encode(_segment, _buffer);

    [Benchmark]
    public bool Decode() => _codec.TryDecode(_buffer.AsSpan(0, _length), _target, out _);
}

using BenchmarkDotNet.Attributes;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Games.Imaging;
using Tempo.Games.Input;

namespace Tempo.Benchmarks.Games;

/// <summary>
/// One agent step on a real game at 64×64 gray with 4 stacked frames, part by part: convert/resize a 640×480 BGRA
/// capture, push it onto the frame stack, pick an action (Nature CNN, batch 1), apply it as a key diff.
/// Capture itself needs an X server: benchmarks/games/figures.sh measures it on SuperTux.
/// </summary>
[MemoryDiagnoser]
public class GamePipelineBenchmarks
{
    private const int Size = 64;
    private const int Stack = 4;
    private readonly byte[] _capture = new byte[640 * 480 * 4];
    private readonly byte[] _frame = new byte[Size * Size];
    private readonly byte[] _stack = new byte[Stack * Size * Size];
    private readonly GrayAreaResizer _resizer = new(640, 480, Size, Size);
    private readonly int[] _action = new int[1];
    private readonly float[] _logProb = new float[1];
    private readonly float[] _value = new float[1];
    private KeyActions _keys = null!;
    private CategoricalCnnActorCritic _model = null!;
    private int _step;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_capture);
        _keys = new KeyActions(new NullKeyboard(), [[], ["Right"], ["Left"], ["space"], ["Right", "space"], ["Left", "space"]]);
        _model = new CategoricalCnnActorCritic(Stack, Size, Size, 6, new RandomSource(1));
    }

    [Benchmark]
    public void ConvertResize() => _resizer.Convert(new BgraFrame(_capture, 640, 480, 640 * 4), _frame);

    [Benchmark]
    public void PushFrame()
    {
        // Oldest frame out, newest in: the layout FrameStackObservation gives the network ([stack, height, width]).
        _stack.AsSpan(Size * Size).CopyTo(_stack);
        _frame.CopyTo(_stack.AsSpan((Stack - 1) * Size * Size));
    }

    [Benchmark]
    public void Inference() => _model.Act(_stack, 1, ActionSelection.Sample, _action, _logProb, _value);

    [Benchmark]
    public int KeyDiff() => _keys.Apply(_step++ % 6);

    private sealed class NullKeyboard : IKeyboard
    {
        public int Resolve(string keyName) => keyName.Length;

        public void Send(int keyCode, bool down)
        {
        }

        public void Flush()
        {
        }
    }
}

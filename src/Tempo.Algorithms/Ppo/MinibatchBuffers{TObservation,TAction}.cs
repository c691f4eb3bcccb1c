using Tempo.Algorithms.Experience;

namespace Tempo.Algorithms.Ppo;

/// <summary>One minibatch gathered contiguously from a rollout, with the loss's gradient buffers; reused across minibatches.</summary>
internal sealed class MinibatchBuffers<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private readonly int _observationSize;
    private readonly int _actionSize;
    private TObservation[] _observations = [];
    private TAction[] _actions = [];
    private float[] _scalars = [];
    private int _size;

    public MinibatchBuffers(int observationSize, int actionSize)
    {
        _observationSize = observationSize;
        _actionSize = actionSize;
    }

    public ReadOnlySpan<TObservation> Observations => _observations.AsSpan(0, _size * _observationSize);

    public ReadOnlySpan<TAction> Actions => _actions.AsSpan(0, _size * _actionSize);

    public Span<float> OldLogProbs => Scalar(0);

    public Span<float> OldValues => Scalar(1);

    public Span<float> Advantages => Scalar(2);

    public Span<float> Returns => Scalar(3);

    public Span<float> NewLogProbs => Scalar(4);

    public Span<float> Entropy => Scalar(5);

    public Span<float> NewValues => Scalar(6);

    public Span<float> LogProbGradients => Scalar(7);

    public Span<float> EntropyGradients => Scalar(8);

    public Span<float> ValueGradients => Scalar(9);

    public void Gather(RolloutBatch<TObservation, TAction> rollout, ReadOnlySpan<int> indices, bool normalizeAdvantages)
    {
        _size = indices.Length;
        if (_observations.Length < _size * _observationSize)
        {
            _observations = new TObservation[_size * _observationSize];
            _actions = new TAction[_size * _actionSize];
            _scalars = new float[_size * 10];
        }

        var observations = rollout.Observations;
        var actions = rollout.Actions;
        for (var k = 0; k < _size; k++)
        {
            var i = indices[k];
            observations.Slice(i * _observationSize, _observationSize).CopyTo(_observations.AsSpan(k * _observationSize));
            actions.Slice(i * _actionSize, _actionSize).CopyTo(_actions.AsSpan(k * _actionSize));
            OldLogProbs[k] = rollout.LogProbs[i];
            OldValues[k] = rollout.Values[i];
            Advantages[k] = rollout.Advantages[i];
            Returns[k] = rollout.Returns[i];
        }

        if (normalizeAdvantages)
        {
            PpoLoss.NormalizeAdvantages(Advantages, Advantages);
        }
    }

    private Span<float> Scalar(int slot) => _scalars.AsSpan(slot * _size, _size);
}

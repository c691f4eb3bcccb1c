using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Runtime.Tests.Checkpoints;

/// <summary>
/// A learner shaped like the replay learners to come (SAC-like): a Q-network and its target copy, a learned log α,
/// two optimizers (one over the Q-network, one over log α; the target has none) and a replay-sampling stream.
/// Its "training" writes chosen values, so a test can tell every part of its state apart.
/// </summary>
internal sealed class ReplayStyleLearner : ICheckpointableLearner<float, int>
{
    private readonly Parameter _qWeight = new("weight", 2, 3);
    private readonly Parameter _qBias = new("bias", 2);
    private readonly Parameter _targetWeight = new("weight", 2, 3);
    private readonly Parameter _targetBias = new("bias", 2);
    private readonly Parameter _logAlpha = new("log_alpha", 1);
    private readonly Adam _q;
    private readonly Adam _alpha;

    public ReplayStyleLearner(int seed)
    {
        Parameters = [new("q.weight", _qWeight), new("q.bias", _qBias), new("q_target.weight", _targetWeight), new("q_target.bias", _targetBias), new("log_alpha", _logAlpha)];
        NamedParameter[] q = [Parameters[0], Parameters[1]];
        NamedParameter[] alpha = [Parameters[4]];
        _q = new Adam(q, new AdamOptions { LearningRate = 1e-3 });
        _alpha = new Adam(alpha, new AdamOptions { LearningRate = 3e-4 });
        Optimizers = [new NamedOptimizer("q", _q, q), new NamedOptimizer("alpha", _alpha, alpha)];
        Replay = new RandomSource(seed);
        RandomStreams = new Dictionary<RandomStreamKey, RandomSource> { [new RandomStreamKey("replay")] = Replay };
    }

    public RandomSource Replay { get; }

    public IReadOnlyList<NamedParameter> Parameters { get; }

    public IReadOnlyList<NamedOptimizer> Optimizers { get; }

    public IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams { get; }

    public LearnerProgress Progress { get; private set; }

    public PolicyVersion Version { get; private set; }

    public LearnerStatistics Update(IReadOnlyList<Segment<float, int>> segments) => throw new NotSupportedException("Checkpoint tests drive Train instead.");

    public PolicySnapshot Snapshot() => new(Version, new float[8]);

    public void CopySnapshotTo(PolicySnapshot target) => target.CopyFrom(Snapshot());

    public void Restore(LearnerProgress progress, PolicyVersion version)
    {
        Progress = progress;
        Version = version;
    }

    /// <summary>Gives every parameter a distinct value, takes <paramref name="qSteps"/> Q steps and one α step, and draws from the replay stream.</summary>
    public void Train(int qSteps)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            var span = Parameters[i].Parameter.Value.Span;
            for (var j = 0; j < span.Length; j++)
            {
                span[j] = (i * 10) + j + 0.5f;
                Parameters[i].Parameter.Gradient.Span[j] = 0.1f * (j + 1);
            }
        }

        for (var step = 0; step < qSteps; step++)
        {
            _q.Step();
        }

        _alpha.Step();
        Replay.Next();
        Progress = new LearnerProgress(Progress.Updates + 1, Progress.TrainedSteps + 64);
        Version = Version.Next();
    }
}

using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Checkpoints;

/// <summary>A learner's state round-trips through a checkpoint by its algorithm-neutral contract alone.</summary>
public sealed class LearnerCheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Path => _directory.File(CheckpointFile.FileName);

    [Fact]
    public void CaptureThenLoad_ReplayStyleLearner_RestoresEveryParameterBothOptimizersCountersAndStream()
    {
        var saved = new ReplayStyleLearner(seed: 1);
        saved.Train(qSteps: 3);
        saved.Train(qSteps: 2);
        using (var writer = new BackgroundCheckpointWriter())
        {
            writer.Write(Path, LearnerCheckpoint.Capture(saved, RunPart()));
            writer.Flush();
        }

        var loaded = new ReplayStyleLearner(seed: 99);
        var metadata = LearnerCheckpoint.Load(Path, loaded);

        Assert.Equal(["q", "alpha"], metadata.Optimizers);
        Assert.Equal(saved.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));
        for (var i = 0; i < saved.Parameters.Count; i++)
        {
            Assert.Equal(saved.Parameters[i].Parameter.Value.Span.ToArray(), loaded.Parameters[i].Parameter.Value.Span.ToArray());
        }

        for (var k = 0; k < saved.Optimizers.Count; k++)
        {
            var (expected, actual) = (saved.Optimizers[k].Optimizer.State, loaded.Optimizers[k].Optimizer.State);
            Assert.Equal(expected.StepCount, actual.StepCount);
            Assert.Equal(expected.Buffers.Select(b => b.Name), actual.Buffers.Select(b => b.Name));
            Assert.All(expected.Buffers.Zip(actual.Buffers), pair => Assert.Equal(pair.First.Tensor.Span.ToArray(), pair.Second.Tensor.Span.ToArray()));
        }

        Assert.Equal(5, loaded.Optimizers[0].Optimizer.State.StepCount);
        Assert.Equal(2, loaded.Optimizers[1].Optimizer.State.StepCount);
        Assert.Equal(new LearnerProgress(2, 128), loaded.Progress);
        Assert.Equal(new PolicyVersion(2), loaded.Version);
        Assert.Equal(saved.Replay.Next(), loaded.Replay.Next());

        // The run's part survives next to the learner's.
        Assert.Equal(40_032, metadata.GlobalStep);
        Assert.True(metadata.RandomStates.ContainsKey("actor-0"));
        Assert.True(metadata.RandomStates.ContainsKey("replay"));
    }

    [Fact]
    public void Capture_TakesTheLearnersCountersOverTheRunPart()
    {
        var learner = new ReplayStyleLearner(seed: 1);
        learner.Train(qSteps: 1);

        var image = LearnerCheckpoint.Capture(learner, RunPart() with { Updates = 999, PolicyVersion = 999, TrainedSteps = 999 });

        Assert.Equal((1L, 64L, 1L), (image.Checkpoint.Updates, image.Checkpoint.TrainedSteps, image.Checkpoint.PolicyVersion));
        Assert.Equal(learner.Replay.GetState(), image.Checkpoint.RandomStates["replay"]);
        Assert.Equal(["q", "alpha"], image.Optimizers.Select(o => o.Name));
    }

    [Fact]
    public void Load_CheckpointOfAnActorCriticLearner_FailsNamingTheOptimizersAndLeavesTheLearnerAsItWas()
    {
        var (parameters, adam) = CheckpointFileTests.Model(fill: 1);
        CheckpointFile.Save(Path, CheckpointFileTests.Checkpoint() with { RandomStates = new Dictionary<string, RandomSourceState> { ["replay"] = new RandomSource(5).GetState() } }, parameters, CheckpointFileTests.Named(parameters, adam));
        var learner = new ReplayStyleLearner(seed: 1);
        learner.Train(qSteps: 1);
        var before = learner.Parameters.Select(p => p.Parameter.Value.Span.ToArray()).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => LearnerCheckpoint.Load(Path, learner));

        Assert.Contains(Path, error.Message);
        Assert.Equal(before, learner.Parameters.Select(p => p.Parameter.Value.Span.ToArray()));
        Assert.Equal(new LearnerProgress(1, 64), learner.Progress);
    }

    [Fact]
    public void Load_CheckpointWithoutTheLearnersStream_FailsNamingIt()
    {
        var saved = new ReplayStyleLearner(seed: 1);
        var image = LearnerCheckpoint.Capture(saved, RunPart());
        var withoutStream = image.Checkpoint with { RandomStates = new Dictionary<string, RandomSourceState>(image.Checkpoint.RandomStates.Where(p => p.Key != "replay")) };
        CheckpointFile.Save(Path, withoutStream, image.Parameters, image.Optimizers);

        var error = Assert.Throws<InvalidDataException>(() => LearnerCheckpoint.Load(Path, new ReplayStyleLearner(seed: 2)));

        Assert.Contains("'replay'", error.Message);
    }

    private static TrainingCheckpoint RunPart() => CheckpointFileTests.Checkpoint() with
    {
        RandomStates = new Dictionary<string, RandomSourceState> { ["actor-0"] = new RandomSource(2).GetState() },
    };
}

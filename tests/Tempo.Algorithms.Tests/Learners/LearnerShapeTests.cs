using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Impala;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Ppo;
using Tempo.Algorithms.Tests.Ppo;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Tests.Learners;

public sealed class LearnerShapeTests
{
    [Fact]
    public void Updates_CleanRlDefaults_AreNumIterations()
    {
        // CleanRL's ppo.py: batch_size = 4 × 128 = 512, num_iterations = 500000 // 512 = 976.
        var shape = new LearnerShape(Trajectories: 4, Steps: 128, TotalTimesteps: 500_000);

        Assert.Equal(512, shape.Transitions);
        Assert.Equal(976, shape.Updates);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 128, 512)] // exactly one batch
    [InlineData(8, 32, 100_000)]
    public void Validate_PositiveSizesCoveringABatch_Passes(int trajectories, int steps, long totalTimesteps) =>
        new LearnerShape(trajectories, steps, totalTimesteps).Validate();

    [Theory]
    [InlineData(0, 5)]
    [InlineData(-1, 5)]
    [InlineData(2, 0)]
    [InlineData(2, -3)]
    [InlineData(0, 0)]
    public void Validate_NonPositiveSize_ThrowsNamingBoth(int trajectories, int steps)
    {
        var shape = new LearnerShape(trajectories, steps, TotalTimesteps: 1_000);

        var error = Assert.Throws<ArgumentException>(shape.Validate);

        Assert.Contains($"got {trajectories} trajectories of {steps} steps", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(511)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-512)]
    public void Validate_BudgetShorterThanOneBatch_ThrowsNamingBudgetAndBatch(long totalTimesteps)
    {
        var shape = new LearnerShape(Trajectories: 4, Steps: 128, totalTimesteps);

        var error = Assert.Throws<ArgumentException>(shape.Validate);

        Assert.Contains($"total-timesteps ({totalTimesteps})", error.Message, StringComparison.Ordinal);
        Assert.Contains("one batch of 512 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 env trajectories × 128 steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireBatch_SameShape_Passes() =>
        new LearnerShape(2, 5, 10).RequireBatch(2, 5, "PPO");

    [Theory]
    [InlineData(3, 5)]
    [InlineData(2, 4)]
    [InlineData(1, 10)] // as many transitions, another shape
    public void RequireBatch_AnotherShape_ThrowsNamingBothShapes(int trajectories, int steps)
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnerShape(2, 5, 10).RequireBatch(trajectories, steps, "Some learner"));

        Assert.StartsWith("Some learner", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 env trajectories × 5 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {trajectories} × {steps}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ppo")]
    [InlineData("appo")]
    [InlineData("impala")]
    public void Algorithm_ShapeWithoutABatchInItsBudget_IsRefusedByValidateAndTheLearner(string name)
    {
        // Validate(shape) checks the shape first, so no learner is built for a budget shorter than one batch.
        var algorithm = Algorithm(name);
        var shape = new LearnerShape(Trajectories: 2, Steps: 5, TotalTimesteps: 9);

        var validateError = Assert.Throws<ArgumentException>(() => algorithm.Validate(shape));
        var learnerError = Assert.Throws<ArgumentException>(() => algorithm.CreateLearner(new FakeActorCritic(), shape, new RandomSource(1)));

        Assert.Contains("total-timesteps (9)", validateError.Message, StringComparison.Ordinal);
        Assert.Equal(validateError.Message, learnerError.Message);
        algorithm.Validate(shape with { TotalTimesteps = 10 });
    }

    [Theory]
    [InlineData("ppo")]
    [InlineData("appo")]
    [InlineData("impala")]
    public void Algorithm_ShapeWithNoTrajectories_IsRefusedByValidateAndTheLearner(string name)
    {
        var algorithm = Algorithm(name);
        var shape = new LearnerShape(Trajectories: 0, Steps: 5, TotalTimesteps: 10);

        var validateError = Assert.Throws<ArgumentException>(() => algorithm.Validate(shape));
        var learnerError = Assert.Throws<ArgumentException>(() => algorithm.CreateLearner(new FakeActorCritic(), shape, new RandomSource(1)));

        Assert.Contains("got 0 trajectories of 5 steps", validateError.Message, StringComparison.Ordinal);
        Assert.Equal(validateError.Message, learnerError.Message);
    }

    private static IActorCriticAlgorithm Algorithm(string name) => name switch
    {
        "ppo" => new PpoOptions { NumMinibatches = 1 },
        "appo" => new AppoOptions { NumMinibatches = 1 },
        _ => new ImpalaOptions(),
    };
}

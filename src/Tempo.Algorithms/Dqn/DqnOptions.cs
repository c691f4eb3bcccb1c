using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Replay;
using Tempo.Core.Configuration;

namespace Tempo.Algorithms.Dqn;

/// <summary>DQN's settings under CleanRL's <c>dqn.py</c> names and defaults, plus Double DQN, dueling heads, n-step returns and prioritized replay.</summary>
/// <remarks>Steps count env steps, as dqn.py's <c>global_step</c> does with one env. The Q-network's widths are the run's
/// <c>hidden-sizes</c> (dqn.py: 120, 84); prioritized replay's keys are rainbow_atari.py's.</remarks>
public sealed record DqnOptions : IAlgorithm
{
    /// <inheritdoc/>
    public string Name => "dqn";

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Replay capacity in transitions.</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Target network update rate: target ← τ · online + (1 − τ) · target.</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Env steps between target network updates.</summary>
    public int TargetNetworkFrequency { get; init; } = 500;

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>ε at the start.</summary>
    public double StartE { get; init; } = 1.0;

    /// <summary>ε after the exploration fraction.</summary>
    public double EndE { get; init; } = 0.05;

    /// <summary>Fraction of total-timesteps over which ε falls linearly from start-e to end-e.</summary>
    public double ExplorationFraction { get; init; } = 0.5;

    /// <summary>Env steps before the first gradient step.</summary>
    public int LearningStarts { get; init; } = 10_000;

    /// <summary>Env steps between gradient steps.</summary>
    public int TrainFrequency { get; init; } = 10;

    /// <summary>Use the Huber loss (SB3's <c>smooth_l1_loss</c>) instead of dqn.py's mean squared error.</summary>
    public bool HuberLoss { get; init; }

    /// <summary>Clip the gradient's global norm to this before each step (SB3: 10), or null not to clip (dqn.py).</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>Gradient steps taken together every train-frequency env steps (SB3's <c>gradient_steps</c>; dqn.py: 1).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Gradient steps per inserted env step to hold instead of one every train-frequency steps (the async schedule's learner then waits for experience or lets the channel drop it); null: train-frequency's cadence.</summary>
    public double? ReplayRatio { get; init; }

    /// <summary>Select the bootstrap action with the online network and value it with the target (van Hasselt et al. 2016).</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>Dueling value and advantage heads (Wang et al. 2016).</summary>
    public bool Dueling { get; init; }

    /// <summary>Steps summed into one return (1: dqn.py).</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Sample transitions by priority (|TD error|) instead of uniformly (dqn.py).</summary>
    public bool PrioritizedReplay { get; init; }

    /// <summary>Prioritized replay's α.</summary>
    public double PrioritizedReplayAlpha { get; init; } = new PrioritizedReplayOptions().Alpha;

    /// <summary>Prioritized replay's β at the start, annealed to 1.</summary>
    public double PrioritizedReplayBeta { get; init; } = new PrioritizedReplayOptions().Beta;

    /// <summary>Prioritized replay's ε, added to |TD error|.</summary>
    public double PrioritizedReplayEps { get; init; } = new PrioritizedReplayOptions().Epsilon;

    /// <summary>Checkpoints carry the replay buffer (a <c>replay.tempo</c> beside <c>checkpoint.tempo</c>), so a resumed run continues from it rather than from an empty buffer.</summary>
    public bool CheckpointReplay { get; init; }

    /// <summary>Prioritized replay's settings, or null for uniform replay.</summary>
    public PrioritizedReplayOptions? Prioritized => PrioritizedReplay
        ? new PrioritizedReplayOptions { Alpha = PrioritizedReplayAlpha, Beta = PrioritizedReplayBeta, Epsilon = PrioritizedReplayEps }
        : null;

    /// <summary>When gradient steps are due.</summary>
    public ReplayCadence Cadence => new(LearningStarts, TrainFrequency, ReplayRatio, GradientSteps);

    /// <summary>The replay buffer these settings describe.</summary>
    public ReplayOptions Replay => new(BufferSize, NStep, Gamma, FramesPerObservation: 1, Prioritized);

    /// <summary>ε at env step <paramref name="step"/> of a run of <paramref name="totalTimesteps"/>: dqn.py's <c>linear_schedule</c>.</summary>
    public double EpsilonAt(long step, long totalTimesteps)
    {
        var duration = ExplorationFraction * totalTimesteps;
        var slope = (EndE - StartE) / duration;
        return Math.Max((slope * step) + StartE, EndE);
    }

    /// <inheritdoc/>
    public void Validate(LearnerShape shape)
    {
        shape.Validate();
        Validate();
    }

    /// <summary>Throws naming the first setting out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(Gamma is >= 0 and <= 1, "gamma", Gamma, "in [0, 1]");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning-rate", LearningRate, "a positive number");
        Require(Tau is > 0 and <= 1, "tau", Tau, "in (0, 1]");
        Require(TargetNetworkFrequency > 0, "target-network-frequency", TargetNetworkFrequency, "a positive number of steps");
        Require(BatchSize > 0, "batch-size", BatchSize, "a positive number");
        Require(StartE is >= 0 and <= 1, "start-e", StartE, "in [0, 1]");
        Require(EndE is >= 0 and <= 1, "end-e", EndE, "in [0, 1]");
        Require(ExplorationFraction is > 0 and <= 1, "exploration-fraction", ExplorationFraction, "in (0, 1]");
        Require(LearningStarts >= 0, "learning-starts", LearningStarts, "zero or more steps");
        Require(TrainFrequency > 0, "train-frequency", TrainFrequency, "a positive number of steps");
        Cadence.Validate();
        if (MaxGradNorm is { } norm)
        {
            Require(norm > 0 && double.IsFinite(norm), "max-grad-norm", norm, "a positive number");
        }

        new PrioritizedReplayOptions { Alpha = PrioritizedReplayAlpha, Beta = PrioritizedReplayBeta, Epsilon = PrioritizedReplayEps }.Validate();
        Replay.Validate();
        if (BatchSize > BufferSize)
        {
            throw new ArgumentException($"batch-size ({BatchSize}) must not exceed buffer-size ({BufferSize}).");
        }
    }

    private static void Require(bool condition, string name, object value, string expected)
    {
        if (!condition)
        {
            throw OptionError.Invalid(name, value, $"must be {expected}");
        }
    }
}

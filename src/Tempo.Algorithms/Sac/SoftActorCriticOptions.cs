using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Replay;
using Tempo.Core.Configuration;

namespace Tempo.Algorithms.Sac;

/// <summary>The settings SAC and discrete SAC share, under CleanRL's names; each script's defaults are its own record's.</summary>
/// <remarks>Steps count env steps, as the scripts' <c>global_step</c> does with one env. The actor's and critics' widths are
/// the run's <c>hidden-sizes</c>.</remarks>
public abstract record SoftActorCriticOptions : IAlgorithm
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public bool IsOnPolicy => false;

    /// <summary>Replay capacity in transitions.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Target networks' update rate: target ← τ · online + (1 − τ) · target.</summary>
    public double Tau { get; init; }

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; }

    /// <summary>Env steps before the first gradient step; until then actions are drawn uniformly from the action space.</summary>
    public int LearningStarts { get; init; }

    /// <summary>The actor's Adam learning rate.</summary>
    public double PolicyLr { get; init; } = 3e-4;

    /// <summary>The critics' (and α's) Adam learning rate.</summary>
    public double QLr { get; init; }

    /// <summary>Env steps between target network updates.</summary>
    public int TargetNetworkFrequency { get; init; }

    /// <summary>Entropy coefficient α (the starting value's logarithm is 0 when <see cref="Autotune"/> is on, as the scripts').</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Tune α towards a target entropy (the record says which).</summary>
    public bool Autotune { get; init; } = true;

    /// <summary>Checkpoints carry the replay buffer, so a resumed run continues from it rather than from an empty buffer.</summary>
    public bool CheckpointReplay { get; init; }

    /// <summary>The replay buffer these settings describe.</summary>
    public ReplayOptions Replay => new(BufferSize, NSteps: 1, Gamma);

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
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "in [0, 1]");
        Require(Tau is > 0 and <= 1, nameof(Tau), Tau, "in (0, 1]");
        Require(BatchSize > 0, nameof(BatchSize), BatchSize, "a positive number");
        Require(LearningStarts >= 0, nameof(LearningStarts), LearningStarts, "zero or more steps");
        Require(PolicyLr > 0 && double.IsFinite(PolicyLr), nameof(PolicyLr), PolicyLr, "a positive number");
        Require(QLr > 0 && double.IsFinite(QLr), nameof(QLr), QLr, "a positive number");
        Require(TargetNetworkFrequency > 0, nameof(TargetNetworkFrequency), TargetNetworkFrequency, "a positive number of steps");
        Require(Alpha > 0 && double.IsFinite(Alpha), nameof(Alpha), Alpha, "a positive number");
        ValidateOwn();
        Replay.Validate();
        if (BatchSize > BufferSize)
        {
            throw new ArgumentException($"batch-size ({BatchSize}) must not exceed buffer-size ({BufferSize}).");
        }
    }

    /// <summary>Throws <see cref="OptionError.Invalid"/> for <paramref name="propertyName"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Whether the value is valid.</param>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    /// <param name="value">The value the user gave.</param>
    /// <param name="expected">What it must be ("a positive number").</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is false.</exception>
    protected static void Require(bool condition, string propertyName, object value, string expected) =>
        OptionError.Require(condition, propertyName, value, $"must be {expected}");

    /// <summary>Throws naming the first of the record's own settings out of range (<see cref="Require"/>).</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    protected abstract void ValidateOwn();
}

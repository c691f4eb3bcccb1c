using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Algorithms.Replay;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Sac;

/// <summary>What SAC's two learners (<see cref="SacLearner"/>, <see cref="DiscreteSacLearner"/>) set up alike: the actor, critic and α optimizers under the scripts' names, log α, the target critics and their updates, the checkpoint's parameters and streams, and snapshots of the actor.</summary>
internal sealed class SoftActorCriticCore
{
    /// <summary>Index of the first critic's mean Q value among <see cref="StatisticNames"/>.</summary>
    public const int Qf1ValuesStatistic = 0;

    /// <summary>Index of the second critic's mean Q value.</summary>
    public const int Qf2ValuesStatistic = 1;

    /// <summary>Index of the first critic's loss.</summary>
    public const int Qf1LossStatistic = 2;

    /// <summary>Index of the second critic's loss.</summary>
    public const int Qf2LossStatistic = 3;

    /// <summary>Index of the critics' mean loss.</summary>
    public const int QfLossStatistic = 4;

    /// <summary>Index of the actor's loss.</summary>
    public const int ActorLossStatistic = 5;

    /// <summary>Index of α.</summary>
    public const int AlphaStatistic = 6;

    /// <summary>Index of α's loss.</summary>
    public const int AlphaLossStatistic = 7;

    private readonly (Parameter[] Online, Parameter[] Target)[] _targets;
    private readonly ParameterSet _actorWeights;

    /// <summary>Sets up the optimizers and log α over the networks and copies the critics into their targets.</summary>
    /// <param name="actor">The actor, whose weights snapshots carry.</param>
    /// <param name="critics">The two critics and their targets (each target of its critic's architecture).</param>
    /// <param name="learningRates">The actor's and the critics' (and α's) learning rates, and Adam's ε.</param>
    /// <param name="autotune">Whether α is tuned (an α optimizer) or fixed at <paramref name="alpha"/>.</param>
    /// <param name="alpha">The fixed α when not tuned.</param>
    /// <param name="random">The learner's random stream, saved in checkpoints.</param>
    /// <exception cref="ArgumentException">A target's parameters differ from its critic's.</exception>
    public SoftActorCriticCore(Module actor, (Module Qf1, Module Qf2, Module Qf1Target, Module Qf2Target) critics, (double Policy, double Q, double AdamEpsilon) learningRates, bool autotune, double alpha, RandomSource random)
    {
        _targets = [TargetNetworks.Pair(critics.Qf1, critics.Qf1Target), TargetNetworks.Pair(critics.Qf2, critics.Qf2Target)];
        UpdateTargets(tau: 1.0);

        var actorNamed = actor.NamedParameters("actor");
        NamedParameter[] qNamed = [.. critics.Qf1.NamedParameters("qf1"), .. critics.Qf2.NamedParameters("qf2")];
        ActorOptimizer = new Adam(actorNamed, new AdamOptions { LearningRate = learningRates.Policy, Epsilon = learningRates.AdamEpsilon });
        QOptimizer = new Adam(qNamed, new AdamOptions { LearningRate = learningRates.Q, Epsilon = learningRates.AdamEpsilon });
        LogAlpha = new Parameter("log_alpha", 1);
        LogAlpha.Value.Span[0] = autotune ? 0f : (float)Math.Log(alpha);
        NamedParameter[] alphaNamed = [new("log_alpha", LogAlpha)];
        List<NamedOptimizer> optimizers = [new("actor", ActorOptimizer, actorNamed), new("q", QOptimizer, qNamed)];
        if (autotune)
        {
            AlphaOptimizer = new Adam(alphaNamed, new AdamOptions { LearningRate = learningRates.Q, Epsilon = learningRates.AdamEpsilon });
            optimizers.Add(new NamedOptimizer("alpha", AlphaOptimizer, alphaNamed));
        }

        _actorWeights = new ParameterSet(actor.NamedParameters());
        Parameters = [.. actorNamed, .. qNamed, .. critics.Qf1Target.NamedParameters("qf1_target"), .. critics.Qf2Target.NamedParameters("qf2_target"), .. alphaNamed];
        Optimizers = optimizers;
        RandomStreams = new Dictionary<RandomStreamKey, RandomSource> { [RandomStreamKey.Learner] = random };
    }

    /// <summary>The statistics both scripts log, in the order of the indices above.</summary>
    public static IReadOnlyList<string> StatisticNames { get; } =
        ["losses/qf1_values", "losses/qf2_values", "losses/qf1_loss", "losses/qf2_loss", "losses/qf_loss", "losses/actor_loss", "losses/alpha", "losses/alpha_loss"];

    /// <summary>The actor's optimizer.</summary>
    public Adam ActorOptimizer { get; }

    /// <summary>Both critics' optimizer.</summary>
    public Adam QOptimizer { get; }

    /// <summary>α's optimizer, or null when α is fixed.</summary>
    public Adam? AlphaOptimizer { get; }

    /// <summary>log α, whose gradient the learner writes.</summary>
    public Parameter LogAlpha { get; }

    /// <summary>The entropy coefficient α now.</summary>
    public double Alpha => Math.Exp(LogAlpha.Value.Span[0]);

    /// <summary>Every named parameter a checkpoint holds: actor, critics, target critics, log α.</summary>
    public IReadOnlyList<NamedParameter> Parameters { get; }

    /// <summary>The optimizers a checkpoint holds, under the scripts' names.</summary>
    public IReadOnlyList<NamedOptimizer> Optimizers { get; }

    /// <summary>The learner's random stream.</summary>
    public IReadOnlyDictionary<RandomStreamKey, RandomSource> RandomStreams { get; }

    /// <summary>Weights in a snapshot of the actor.</summary>
    public int SnapshotWeights => _actorWeights.WeightCount;

    /// <summary>Copies the actor's weights into <paramref name="target"/> and stamps it with <paramref name="version"/>.</summary>
    public void CopySnapshotTo(PolicySnapshot target, PolicyVersion version)
    {
        ArgumentNullException.ThrowIfNull(target);
        _actorWeights.CopyTo(target.Weights);
        target.Version = version;
    }

    /// <summary>Steps the critics' optimizer on the gradients the learner computed and writes the critics' statistics: both scripts log each critic's mean Q and loss and their mean loss.</summary>
    public void StepCritics(LearnerStatistics statistics, (float Qf1Loss, float Qf2Loss, float Qf1Values, float Qf2Values) critics)
    {
        QOptimizer.Step();
        statistics[Qf1ValuesStatistic] = critics.Qf1Values;
        statistics[Qf2ValuesStatistic] = critics.Qf2Values;
        statistics[Qf1LossStatistic] = critics.Qf1Loss;
        statistics[Qf2LossStatistic] = critics.Qf2Loss;
        statistics[QfLossStatistic] = (critics.Qf1Loss + critics.Qf2Loss) / 2;
    }

    /// <summary>target ← τ · online + (1 − τ) · target for both critics.</summary>
    public void UpdateTargets(double tau)
    {
        foreach (var pair in _targets)
        {
            TargetNetworks.Update(pair, tau);
        }
    }
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Sac;

/// <summary>Discrete SAC's five networks: an actor from observations to one logit per action, and two critics (with their targets) from observations to one Q value per action, as <c>sac_atari.py</c>'s.</summary>
/// <param name="ObservationSize">Elements of one observation.</param>
/// <param name="Actions">Discrete actions |A|.</param>
/// <param name="Actor">Observations <c>[batch, ObservationSize]</c> to logits <c>[batch, Actions]</c>.</param>
/// <param name="Qf1">The first critic: observations to Q values <c>[batch, Actions]</c>.</param>
/// <param name="Qf2">The second critic.</param>
/// <param name="Qf1Target">The first critic's target, of its architecture (the learner copies the critic's weights into it).</param>
/// <param name="Qf2Target">The second critic's target.</param>
public sealed record DiscreteSacNetworks(int ObservationSize, int Actions, Module Actor, Module Qf1, Module Qf2, Module Qf1Target, Module Qf2Target)
{
    /// <summary>ReLU MLPs of <paramref name="hiddenSizes"/> for every network (sac_atari.py's heads over vectors instead of its CNN), PyTorch's default initialization.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actions">Discrete actions.</param>
    /// <param name="hiddenSizes">Hidden widths.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="parallelism">The kernels' threads, or null for one.</param>
    public static DiscreteSacNetworks Mlp(int observationSize, int actions, IReadOnlyList<int> hiddenSizes, Random random, KernelParallelism? parallelism = null)
    {
        Module Network() => MlpActor(observationSize, actions, hiddenSizes, random, parallelism);
        return new DiscreteSacNetworks(observationSize, actions, Network(), Network(), Network(), Network(), Network());
    }

    /// <summary>One network of <see cref="Mlp"/>'s shape (its actor, for a policy that only acts): <c>0.weight</c>, <c>2.weight</c>, … as <c>nn.Sequential</c>.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actions">Discrete actions.</param>
    /// <param name="hiddenSizes">Hidden widths.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="parallelism">The kernels' threads, or null for one.</param>
    public static Module MlpActor(int observationSize, int actions, IReadOnlyList<int> hiddenSizes, Random random, KernelParallelism? parallelism = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(random);
        int[] sizes = [observationSize, .. hiddenSizes, actions];
        var actor = Nn.Modules.Mlp.Create(sizes, Activation.Relu, random);
        actor.Parallelism = parallelism;
        return actor;
    }
}

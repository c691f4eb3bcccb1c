using Tempo.Algorithms.Models;
using Tempo.Core.Spaces;
using Tempo.Nn.Kernels;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>Exactly which network a run trains: its architecture, the observation shape it reads, its action count or size, and its widths.</summary>
/// <remarks>Checkpoints record it, so evaluating or resuming rebuilds the same network or says why the env no longer fits it.</remarks>
/// <param name="Kind">The architecture.</param>
/// <param name="ObservationShape">The shape of one observation.</param>
/// <param name="Actions">Discrete actions (categorical kinds) or action dimensions (Gaussian).</param>
/// <param name="HiddenSizes">Hidden widths (MLPs), or the one fully connected width (CNN).</param>
public sealed record ModelSpec(ModelKind Kind, IReadOnlyList<int> ObservationShape, int Actions, IReadOnlyList<int> HiddenSizes)
{
    /// <summary>The model the recipe of <paramref name="kind"/> builds for these spaces and widths.</summary>
    /// <exception cref="ArgumentException">The spaces do not fit the architecture (a categorical policy needs <c>Discrete(n)</c> starting at 0; the CNN takes one hidden width).</exception>
    public static ModelSpec For(ModelKind kind, ISpace observationSpace, ISpace actionSpace, IReadOnlyList<int> hiddenSizes)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        var actions = kind == ModelKind.GaussianMlp
            ? actionSpace.FlatSize
            : actionSpace is DiscreteSpace { Start: 0 } discrete
                ? discrete.N
                : throw new ArgumentException($"A categorical policy needs a Discrete(n) action space starting at 0; got {actionSpace}.");
        if (kind == ModelKind.CategoricalCnn && hiddenSizes.Count != 1)
        {
            throw new ArgumentException(
                $"The CNN has one fully connected layer after the convolutions; hidden-sizes takes one width (ppo_atari.py: 512), got [{string.Join(", ", hiddenSizes)}].");
        }

        return new ModelSpec(kind, [.. observationSpace.Shape], actions, [.. hiddenSizes]);
    }

    /// <summary>Builds the network, its weights drawn from <paramref name="random"/>; <paramref name="parallelism"/> lends its kernels threads (one caller at a time).</summary>
    /// <typeparam name="TObservation">The observation element type the architecture reads.</typeparam>
    /// <typeparam name="TAction">The action element type it writes.</typeparam>
    /// <exception cref="ArgumentException">The element types are not the architecture's.</exception>
    public IActorCritic<TObservation, TAction> Create<TObservation, TAction>(Random random, KernelParallelism? parallelism)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        var observationSize = ObservationShape.Aggregate(1, (size, dimension) => checked(size * dimension));
        object model = Kind switch
        {
            ModelKind.CategoricalMlp => new CategoricalMlpActorCritic(observationSize, Actions, HiddenSizes, random) { Parallelism = parallelism },
            ModelKind.GaussianMlp => new GaussianMlpActorCritic(observationSize, Actions, HiddenSizes, random) { Parallelism = parallelism },
            ModelKind.CategoricalCnn => CategoricalCnnActorCritic.ForObservationShape(ObservationShape, Actions, random, HiddenSizes[0], parallelism),
            _ => throw new ArgumentException($"Unknown model kind {Kind}."),
        };
        return model as IActorCritic<TObservation, TAction>
            ?? throw new ArgumentException($"A {Kind} model reads {model.GetType().Name}'s element types, not observations of {typeof(TObservation).Name} and actions of {typeof(TAction).Name}.");
    }

    /// <summary>Names what differs between this spec and <paramref name="other"/>; empty when they are the same network.</summary>
    public IReadOnlyList<string> Differences(ModelSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        if (Kind != other.Kind)
        {
            differences.Add($"architecture {Kind} vs {other.Kind}");
        }

        if (!ObservationShape.SequenceEqual(other.ObservationShape))
        {
            differences.Add($"observation shape ({string.Join(", ", ObservationShape)}) vs ({string.Join(", ", other.ObservationShape)})");
        }

        if (Actions != other.Actions)
        {
            differences.Add($"{Actions} vs {other.Actions} actions");
        }

        if (!HiddenSizes.SequenceEqual(other.HiddenSizes))
        {
            differences.Add($"hidden sizes [{string.Join(", ", HiddenSizes)}] vs [{string.Join(", ", other.HiddenSizes)}]");
        }

        return differences;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind} over ({string.Join(", ", ObservationShape)}) observations, {Actions} actions, hidden [{string.Join(", ", HiddenSizes)}]";
}

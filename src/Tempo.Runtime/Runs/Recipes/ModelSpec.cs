using Tempo.Algorithms.Models;
using Tempo.Core.Spaces;
using Tempo.Nn.Kernels;

namespace Tempo.Runtime.Runs.Recipes;

/// <summary>Exactly which network a run trains: its architecture, the observation shape it reads, its action count or size, and its widths.</summary>
/// <remarks>Checkpoints record it, so evaluating or resuming rebuilds the same network or says why the env no longer fits it.</remarks>
/// <param name="Kind">The architecture.</param>
/// <param name="Observation">The observation space it reads, as the space describes itself (<c>Box(-inf, inf, (4,), float32)</c>, <c>Dict('features': …, 'frames': …)</c>).</param>
/// <param name="ObservationShape">The shape of one observation (of a dict: its bytes).</param>
/// <param name="Actions">Discrete actions (categorical kinds) or action dimensions (Gaussian).</param>
/// <param name="HiddenSizes">Hidden widths (MLPs), or the one fully connected width (CNN, multi-input).</param>
public sealed record ModelSpec(ModelKind Kind, string Observation, IReadOnlyList<int> ObservationShape, int Actions, IReadOnlyList<int> HiddenSizes)
{
    /// <summary>The model the recipe of <paramref name="kind"/> builds for these spaces and widths; byte observations that are a dict of parts get the multi-input model.</summary>
    /// <exception cref="ArgumentException">The spaces do not fit the architecture (a categorical policy needs <c>Discrete(n)</c> starting at 0; the CNN takes one hidden width).</exception>
    public static ModelSpec For(ModelKind kind, ISpace observationSpace, ISpace actionSpace, IReadOnlyList<int> hiddenSizes)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (kind == ModelKind.CategoricalCnn && observationSpace is DictSpace)
        {
            kind = ModelKind.CategoricalMultiInput;
        }
        var actions = kind is ModelKind.GaussianMlp or ModelKind.SacMlp
            ? actionSpace.FlatSize
            : actionSpace is DiscreteSpace { Start: 0 } discrete
                ? discrete.N
                : throw new ArgumentException($"A categorical policy needs a Discrete(n) action space starting at 0; got {actionSpace}.");
        if (kind == ModelKind.QCnn && observationSpace is DictSpace)
        {
            kind = ModelKind.QMultiInput;
        }

        if (kind is ModelKind.CategoricalCnn or ModelKind.CategoricalMultiInput or ModelKind.QCnn or ModelKind.QMultiInput && hiddenSizes.Count != 1)
        {
            throw new ArgumentException(
                $"The CNN has one fully connected layer after the convolutions; hidden-sizes takes one width (ppo_atari.py: 512), got [{string.Join(", ", hiddenSizes)}].");
        }

        return new ModelSpec(kind, observationSpace.ToString() ?? string.Empty, [.. observationSpace.Shape], actions, [.. hiddenSizes]);
    }

    /// <summary>Builds the network for <paramref name="observationSpace"/> (the space this spec was made for), its weights drawn from <paramref name="random"/>; <paramref name="parallelism"/> lends its kernels threads (one caller at a time).</summary>
    /// <typeparam name="TObservation">The observation element type the architecture reads.</typeparam>
    /// <typeparam name="TAction">The action element type it writes.</typeparam>
    /// <exception cref="ArgumentException">The element types are not the architecture's, or the space is not the one this spec describes.</exception>
    public IActorCritic<TObservation, TAction> Create<TObservation, TAction>(ISpace observationSpace, Random random, KernelParallelism? parallelism)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        if (!string.Equals(observationSpace.ToString(), Observation, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This {Kind} model reads {Observation}; got {observationSpace}.", nameof(observationSpace));
        }

        var observationSize = ObservationShape.Aggregate(1, (size, dimension) => checked(size * dimension));
        object model = Kind switch
        {
            ModelKind.CategoricalMlp => new CategoricalMlpActorCritic(observationSize, Actions, HiddenSizes, random) { Parallelism = parallelism },
            ModelKind.GaussianMlp => new GaussianMlpActorCritic(observationSize, Actions, HiddenSizes, random) { Parallelism = parallelism },
            ModelKind.CategoricalCnn => CategoricalCnnActorCritic.ForObservationShape(ObservationShape, Actions, random, HiddenSizes[0], parallelism),
            ModelKind.CategoricalMultiInput => MultiInputActorCritic.ForSpace(observationSpace, Actions, random, HiddenSizes[0], parallelism),
            ModelKind.QMlp or ModelKind.QCnn or ModelKind.QMultiInput or ModelKind.SacMlp or ModelKind.DiscreteSacMlp => throw new ArgumentException($"A {Kind} model is not a policy with a value head; its learner builds it."),
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

        if (!string.Equals(Observation, other.Observation, StringComparison.Ordinal))
        {
            differences.Add($"observations {Observation} vs {other.Observation}");
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
        $"{Kind} over {Observation} observations, {Actions} actions, hidden [{string.Join(", ", HiddenSizes)}]";
}

using Tempo.Nn.Kernels;
using Tempo.Nn.Modules;

namespace Tempo.Algorithms.Sac;

/// <summary>sac_continuous_action.py's <c>SoftQNetwork</c>: a ReLU MLP from an observation and an action, concatenated, to one Q value.</summary>
/// <remarks>Parameters <c>fc1</c> … <c>fc{n+1}</c> (the script: fc1, fc2, fc3), PyTorch's default initialization. Inputs are
/// rows of <c>[observation | action]</c>. The layer chain is <see cref="Sequential"/>'s; this type adds the script's names
/// and the sizes a learner checks and copies.</remarks>
public sealed class SoftQNetwork : Sequential
{
    /// <summary>Builds the critic.</summary>
    /// <param name="observationSize">Elements of one observation.</param>
    /// <param name="actionSize">Action dimensions |A|.</param>
    /// <param name="hiddenSizes">Hidden widths (the script: 256, 256).</param>
    /// <param name="random">The source of the initial weights.</param>
    public SoftQNetwork(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Random random)
        : base(NamedLayers(observationSize, actionSize, hiddenSizes, random))
    {
        ObservationSize = observationSize;
        ActionSize = actionSize;
        HiddenSizes = [.. hiddenSizes];
    }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Action dimensions |A|.</summary>
    public int ActionSize { get; }

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>A critic of the same architecture on the same kernel threads (copy weights into it to make a target network).</summary>
    public SoftQNetwork CreateSibling(Random random) => new(ObservationSize, ActionSize, HiddenSizes, random) { Parallelism = Parallelism };

    private static NamedModule[] NamedLayers(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(random);
        int[] sizes = [observationSize + actionSize, .. hiddenSizes, 1];
        var layers = new NamedModule[sizes.Length - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            var activation = i < layers.Length - 1 ? Activation.Relu : Activation.None;
            layers[i] = new NamedModule($"fc{i + 1}", new Linear(sizes[i], sizes[i + 1], random, activation));
        }

        return layers;
    }
}

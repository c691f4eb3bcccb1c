using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Algorithms.Learners;

/// <summary>One of a learner's optimizers as a checkpoint sees it: a stable name, the optimizer, and the named parameters its state is keyed by.</summary>
/// <remarks>A learner may have several (SAC: <c>actor</c>, <c>critics</c>, <c>alpha</c>); each name is unique within the learner and stays the same across versions, since checkpoints match optimizer states by it.</remarks>
public sealed record NamedOptimizer
{
    /// <summary>Names <paramref name="optimizer"/>, which must update exactly <paramref name="parameters"/>, in that order.</summary>
    /// <exception cref="ArgumentException">The name is empty or the parameters are not the optimizer's, in its order.</exception>
    public NamedOptimizer(string name, IOptimizer optimizer, IReadOnlyList<NamedParameter> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != optimizer.Parameters.Count)
        {
            throw new ArgumentException($"Optimizer '{name}' updates {optimizer.Parameters.Count} parameters, but {parameters.Count} were named.", nameof(parameters));
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (!ReferenceEquals(parameters[i].Parameter, optimizer.Parameters[i]))
            {
                throw new ArgumentException($"Optimizer '{name}': parameter {i} ('{parameters[i].Name}') is not the one the optimizer updates at that position.", nameof(parameters));
            }
        }

        Name = name;
        Optimizer = optimizer;
        Parameters = parameters;
    }

    /// <summary>The stable name a checkpoint stores the state under.</summary>
    public string Name { get; }

    /// <summary>The optimizer; its <see cref="IOptimizer.State"/> is what a checkpoint saves.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The parameters it updates, under the names its state's buffers are keyed by.</summary>
    public IReadOnlyList<NamedParameter> Parameters { get; }
}

using Tempo.Nn.Modules;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Everything a checkpoint file holds, copied out of the live training objects so it can be written while training goes on.</summary>
public sealed class CheckpointImage
{
    private CheckpointImage(TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState> optimizers)
    {
        Checkpoint = checkpoint;
        Parameters = parameters;
        Optimizers = optimizers;
    }

    /// <summary>Counters, configuration, random states and normalizers (already values, not live objects).</summary>
    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Copies of the parameters, under the same names.</summary>
    public IReadOnlyList<NamedParameter> Parameters { get; }

    /// <summary>Copies of the optimizer states, under the same names, each bound to the copies in <see cref="Parameters"/>.</summary>
    public IReadOnlyList<NamedOptimizerState> Optimizers { get; }

    /// <summary>Copies the parameter values and the optimizer states now; call it where they cannot change underneath (the learner's thread).</summary>
    /// <exception cref="ArgumentException">An optimizer updates a parameter that is not among <paramref name="parameters"/>, or two optimizers share a name.</exception>
    public static CheckpointImage Capture(TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState> optimizers)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var (parameterCopies, optimizerCopies) = Copy(parameters, optimizers);
        return new CheckpointImage(checkpoint, parameterCopies, optimizerCopies);
    }

    /// <summary>Copies of <paramref name="parameters"/> (same names, shapes and values) and of each optimizer state, bound to those copies.</summary>
    internal static (NamedParameter[] Parameters, NamedOptimizerState[] Optimizers) Copy(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedOptimizerState> optimizers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizers);
        var copies = new NamedParameter[parameters.Count];
        var copyOf = new Dictionary<Parameter, Parameter>(parameters.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < copies.Length; i++)
        {
            var (name, parameter) = parameters[i];
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            var copy = new Parameter(parameter.Name, [.. parameter.Value.Shape]);
            parameter.Value.Span.CopyTo(copy.Value.Span);
            copies[i] = new NamedParameter(name, copy);
            copyOf[parameter] = copy;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var optimizerCopies = new NamedOptimizerState[optimizers.Count];
        for (var k = 0; k < optimizerCopies.Length; k++)
        {
            var optimizer = optimizers[k] ?? throw new ArgumentException($"Optimizer {k} is null.", nameof(optimizers));
            ArgumentException.ThrowIfNullOrWhiteSpace(optimizer.Name, nameof(optimizers));
            if (!names.Add(optimizer.Name))
            {
                throw new ArgumentException($"Two optimizers are named '{optimizer.Name}'; checkpoints tell optimizer states apart by name.", nameof(optimizers));
            }

            var bound = new NamedParameter[optimizer.Parameters.Count];
            for (var i = 0; i < bound.Length; i++)
            {
                var (name, parameter) = optimizer.Parameters[i];
                if (parameter is null || !copyOf.TryGetValue(parameter, out var copy))
                {
                    throw new ArgumentException($"Optimizer '{optimizer.Name}' updates parameter '{name}', which is not among the checkpoint's parameters.", nameof(optimizers));
                }

                bound[i] = new NamedParameter(name, copy);
            }

            optimizerCopies[k] = new NamedOptimizerState(optimizer.Name, optimizer.State.Copy(bound), bound);
        }

        return (copies, optimizerCopies);
    }
}

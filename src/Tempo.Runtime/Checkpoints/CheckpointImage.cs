using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Runtime.Checkpoints;

/// <summary>Everything a checkpoint file holds, copied out of the live training objects so it can be written while training goes on.</summary>
public sealed class CheckpointImage
{
    private CheckpointImage(TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, OptimizerState optimizerState)
    {
        Checkpoint = checkpoint;
        Parameters = parameters;
        OptimizerState = optimizerState;
    }

    /// <summary>Counters, configuration, random states and normalizers (already values, not live objects).</summary>
    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Copies of the model's parameters, under the same names.</summary>
    public IReadOnlyList<NamedParameter> Parameters { get; }

    /// <summary>A copy of the optimizer's state, bound to <see cref="Parameters"/>.</summary>
    public OptimizerState OptimizerState { get; }

    /// <summary>Copies the parameter values and the optimizer state now; call it where the weights cannot change underneath (the learner's thread).</summary>
    public static CheckpointImage Capture(TrainingCheckpoint checkpoint, IReadOnlyList<NamedParameter> parameters, OptimizerState optimizerState)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizerState);
        var copies = new NamedParameter[parameters.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            var (name, parameter) = parameters[i];
            var copy = new Parameter(parameter.Name, [.. parameter.Value.Shape]);
            parameter.Value.Span.CopyTo(copy.Value.Span);
            copies[i] = new NamedParameter(name, copy);
        }

        return new CheckpointImage(checkpoint, copies, optimizerState.Copy(copies));
    }
}

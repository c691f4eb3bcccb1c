using Tempo.Nn.Modules;

namespace Tempo.Nn.Optimizers;

/// <summary>Updates a fixed list of parameters from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>The parameters this optimizer updates, in the order given at construction.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>; set it between steps to follow a schedule.</summary>
    double LearningRate { get; set; }

    /// <summary>The step count and per-parameter buffers that serialization saves and restores.</summary>
    OptimizerState State { get; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    void Step();

    /// <summary>Sets the gradients of every parameter to zero.</summary>
    void ZeroGrad();
}

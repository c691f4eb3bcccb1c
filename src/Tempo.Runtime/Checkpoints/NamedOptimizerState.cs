using Tempo.Algorithms.Learners;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;

namespace Tempo.Runtime.Checkpoints;

/// <summary>One optimizer's state as a checkpoint file holds it: its stable name, the state, and the named parameters the state is keyed by (among the checkpoint's parameters).</summary>
/// <param name="Name">The optimizer's name in the learner (e.g. <c>actor_critic</c>; SAC's <c>actor</c>, <c>critics</c>, <c>alpha</c>).</param>
/// <param name="State">Its step count and buffers.</param>
/// <param name="Parameters">The parameters it updates, under the names its buffers are keyed by.</param>
public sealed record NamedOptimizerState(string Name, OptimizerState State, IReadOnlyList<NamedParameter> Parameters)
{
    /// <summary>The state of a learner's optimizer, live (not a copy).</summary>
    public static NamedOptimizerState Of(NamedOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new(optimizer.Name, optimizer.Optimizer.State, optimizer.Parameters);
    }
}

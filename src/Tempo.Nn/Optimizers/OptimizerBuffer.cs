using Tempo.Nn.Tensors;

namespace Tempo.Nn.Optimizers;

/// <summary>One named per-parameter buffer of an optimizer's state (e.g. Adam's first moment of one parameter).</summary>
/// <param name="Name">The buffer's name, <c>kind/parameterName</c> (e.g. <c>exp_avg/actor.0.weight</c>).</param>
/// <param name="Tensor">The live buffer, shaped like its parameter.</param>
public readonly record struct OptimizerBuffer(string Name, Tensor Tensor);

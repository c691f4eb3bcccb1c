namespace Tempo.Runtime.Export;

/// <summary>What an exported policy reads and writes, in graph order.</summary>
/// <param name="Inputs">The observation tensors the graph reads.</param>
/// <param name="Outputs">The tensors it writes (<c>logits</c> or <c>action_mean</c> and <c>log_std</c>, then <c>value</c>).</param>
public sealed record OnnxSignature(IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs);

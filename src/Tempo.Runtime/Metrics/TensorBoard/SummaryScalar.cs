namespace Tempo.Runtime.Metrics.TensorBoard;

/// <summary>One tagged scalar of a TensorBoard summary (<c>Summary.Value</c> with <c>simple_value</c>).</summary>
/// <param name="Tag">The chart name, one of <see cref="MetricNames"/>.</param>
/// <param name="Value">The value; TensorBoard stores scalars as 32-bit floats.</param>
internal readonly record struct SummaryScalar(string Tag, float Value);

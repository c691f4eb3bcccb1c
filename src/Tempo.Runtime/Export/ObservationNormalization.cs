namespace Tempo.Runtime.Export;

/// <summary>The observation normalization a policy was trained behind (<c>NormalizeObservation</c>, then <c>ClipObservation</c>), frozen into an exported graph so it reads raw observations.</summary>
/// <param name="Mean">Per-element running means.</param>
/// <param name="Variance">Per-element running variances.</param>
/// <param name="Epsilon">Added to the variance before its square root.</param>
/// <param name="ClipMin">Normalized values below it become it; <see cref="float.NegativeInfinity"/> with <see cref="float.PositiveInfinity"/> as <paramref name="ClipMax"/> for no clipping.</param>
/// <param name="ClipMax">Normalized values above it become it.</param>
public sealed record ObservationNormalization(IReadOnlyList<double> Mean, IReadOnlyList<double> Variance, double Epsilon, float ClipMin, float ClipMax);

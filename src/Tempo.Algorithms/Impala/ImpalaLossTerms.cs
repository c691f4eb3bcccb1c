namespace Tempo.Algorithms.Impala;

/// <summary>The scalars one IMPALA loss measured.</summary>
/// <param name="Loss">Policy loss + baseline coefficient · baseline loss − entropy coefficient · entropy.</param>
/// <param name="PolicyLoss">−mean(A_s · log π(a_s | x_s)), with the V-trace policy-gradient advantages A_s.</param>
/// <param name="BaselineLoss">0.5 · mean((v_s − V(x_s))²).</param>
/// <param name="Entropy">Mean policy entropy.</param>
public readonly record struct ImpalaLossTerms(double Loss, double PolicyLoss, double BaselineLoss, double Entropy);

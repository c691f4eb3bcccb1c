namespace Tempo.Algorithms.Ppo;

/// <summary>The scalars one PPO minibatch loss measured (CleanRL's logged quantities).</summary>
/// <param name="Loss">pg_loss − ent_coef · entropy + vf_coef · v_loss.</param>
/// <param name="PolicyLoss">The clipped surrogate loss.</param>
/// <param name="ValueLoss">0.5 · mean squared value error, clipped if requested.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean of (r − 1) − log r, Schulman's k3 estimator of KL(old ‖ new).</param>
/// <param name="OldApproxKl">Mean of −log r, the naive estimator.</param>
/// <param name="ClipFraction">Fraction of samples with |r − 1| &gt; ε.</param>
public readonly record struct PpoLossTerms(
    double Loss, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double OldApproxKl, double ClipFraction);

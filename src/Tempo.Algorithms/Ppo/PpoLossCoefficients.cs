namespace Tempo.Algorithms.Ppo;

/// <summary>The coefficients of PPO's loss for one minibatch (ε may be annealed, so it is passed per call).</summary>
/// <param name="ClipCoef">Surrogate clipping ε (also the value clipping range).</param>
/// <param name="EntCoef">Entropy bonus coefficient.</param>
/// <param name="VfCoef">Value loss coefficient.</param>
/// <param name="ClipVloss">Clip the value loss around the behaviour values.</param>
public readonly record struct PpoLossCoefficients(float ClipCoef, float EntCoef, float VfCoef, bool ClipVloss);

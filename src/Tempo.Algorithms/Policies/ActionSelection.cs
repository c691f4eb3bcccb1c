namespace Tempo.Algorithms.Policies;

/// <summary>How a policy turns its distribution into an action.</summary>
public enum ActionSelection
{
    /// <summary>Draw from the distribution (training, exploration).</summary>
    Sample,

    /// <summary>Take the mode: the most likely discrete action or the Gaussian's mean (evaluation).</summary>
    Deterministic,
}

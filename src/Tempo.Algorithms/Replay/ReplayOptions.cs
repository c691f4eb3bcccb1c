namespace Tempo.Algorithms.Replay;

/// <summary>What a replay buffer keeps and how it forms its transitions.</summary>
/// <param name="Capacity">Transitions kept (CleanRL's <c>buffer_size</c>); the oldest go first.</param>
/// <param name="NSteps">Steps summed into one transition's return (1: plain one-step transitions).</param>
/// <param name="Gamma">The discount of the n-step return and of its bootstrap.</param>
/// <param name="FramesPerObservation">Frames an observation stacks (4 for Atari-style stacks, or a dict's stacked frames part), so each frame is kept once; 1 for flat observations.</param>
/// <param name="Prioritized">Prioritized sampling's settings, or null for uniform sampling.</param>
public sealed record ReplayOptions(int Capacity, int NSteps = 1, double Gamma = 0.99, int FramesPerObservation = 1, PrioritizedReplayOptions? Prioritized = null)
{
    /// <summary>The elements of an observation that hold its <see cref="FramesPerObservation"/> frames (a dict's frames part), or null when they all do; the other elements are kept whole with each observation.</summary>
    public Range? FrameStack { get; init; }

    /// <summary>Throws naming the first setting out of range.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or γ is outside [0, 1].</exception>
    public void Validate()
    {
        if (Capacity <= 0)
        {
            throw new ArgumentException($"buffer-size must be a positive number of transitions; got {Capacity}.");
        }

        if (NSteps <= 0)
        {
            throw new ArgumentException($"n-step must be at least 1; got {NSteps}.");
        }

        if (!(Gamma is >= 0 and <= 1))
        {
            throw new ArgumentException($"gamma must be in [0, 1]; got {Gamma}.");
        }

        if (FramesPerObservation <= 0)
        {
            throw new ArgumentException($"frames per observation must be positive; got {FramesPerObservation}.");
        }

        Prioritized?.Validate();
    }
}

namespace Tempo.Runtime.Bench;

/// <summary>How long <see cref="MachineBench"/> measures.</summary>
/// <param name="Quick">A few iterations of each figure and a CartPole run cut short (seconds, not a minute): checks the bench runs, not the machine.</param>
public sealed record MachineBenchOptions(bool Quick = false);

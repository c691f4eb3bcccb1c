namespace Tempo.Algorithms.Replay;

/// <summary>When a learner that trains from replay takes its gradient steps, counted in env steps inserted into its buffer.</summary>
/// <param name="LearningStarts">Env steps before the first gradient step (CleanRL's <c>learning-starts</c>).</param>
/// <param name="TrainFrequency">Env steps between gradient steps (CleanRL's <c>train-frequency</c>); not read when <paramref name="ReplayRatio"/> is set.</param>
/// <param name="ReplayRatio">Gradient steps per inserted env step to hold, or null to follow <paramref name="TrainFrequency"/>; the async schedule's
/// learner takes exactly as many steps as the inserted steps owe, so it waits for experience when it is faster than the actors and
/// drops nothing of its own when it is slower (a live fleet's channel drops the oldest segments instead, and those never count).</param>
/// <param name="GradientSteps">Gradient steps taken together every <paramref name="TrainFrequency"/> env steps (SB3's <c>gradient_steps</c>; CleanRL: 1).</param>
public sealed record ReplayCadence(int LearningStarts, int TrainFrequency, double? ReplayRatio = null, int GradientSteps = 1)
{
    /// <summary>Throws naming the first setting out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (LearningStarts < 0)
        {
            throw new ArgumentException($"learning-starts must be zero or more steps; got {LearningStarts}.");
        }

        if (TrainFrequency <= 0)
        {
            throw new ArgumentException($"train-frequency must be a positive number of steps; got {TrainFrequency}.");
        }

        if (GradientSteps <= 0)
        {
            throw new ArgumentException($"gradient-steps must be a positive number of steps per train-frequency; got {GradientSteps}.");
        }

        if (ReplayRatio is { } ratio && !(ratio > 0 && double.IsFinite(ratio)))
        {
            throw new ArgumentException($"replay-ratio must be a positive number of gradient steps per env step; got {ratio}.");
        }
    }

    /// <summary>Gradient steps owed in all once the <paramref name="step"/>-th env step (from 1) has been inserted, counting from the cadence's start.</summary>
    public long GradientStepsOwed(long step)
    {
        if (step <= LearningStarts)
        {
            return 0;
        }

        // dqn.py: a gradient step (SB3: gradient-steps) at every multiple of train-frequency past learning-starts. A ratio's product is nudged
        // up by far less than one step so 0.3 × 10 owes 3 even where its binary product lands just below.
        return ReplayRatio is { } ratio
            ? (long)Math.Floor((ratio * (step - LearningStarts)) + 1e-9)
            : ((step / TrainFrequency) - (LearningStarts / TrainFrequency)) * GradientSteps;
    }
}

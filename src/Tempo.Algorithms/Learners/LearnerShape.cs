namespace Tempo.Algorithms.Learners;

/// <summary>What the run feeds a learner: batches of <see cref="Trajectories"/> env trajectories side by side, each <see cref="Steps"/> steps long, over a budget of <see cref="TotalTimesteps"/> env steps.</summary>
/// <remarks>
/// The run derives it from its own settings (envs per actor, actors whose segments make one update, steps per
/// segment, step budget), so a learner never holds a second copy of them that could disagree. A learner checks
/// every batch it is given against its shape and refuses one that differs.
/// </remarks>
/// <param name="Trajectories">Env trajectories per update: envs per segment × segments per update.</param>
/// <param name="Steps">Steps per trajectory (T, the rollout or segment length).</param>
/// <param name="TotalTimesteps">The run's budget of env steps; annealing schedules run over it.</param>
public readonly record struct LearnerShape(int Trajectories, int Steps, long TotalTimesteps)
{
    /// <summary>Transitions per update: <see cref="Trajectories"/> × <see cref="Steps"/>.</summary>
    public int Transitions => Trajectories * Steps;

    /// <summary>Updates the budget allows, CleanRL's <c>num_iterations = total_timesteps // batch_size</c>.</summary>
    public long Updates => TotalTimesteps / Transitions;

    /// <summary>Throws naming the first size that is not positive, or a budget shorter than one batch.</summary>
    /// <exception cref="ArgumentException">A size is not positive or the budget does not cover one batch.</exception>
    public void Validate()
    {
        if (Trajectories <= 0 || Steps <= 0)
        {
            throw new ArgumentException($"A learner needs at least one trajectory of at least one step per batch; got {Trajectories} trajectories of {Steps} steps.");
        }

        if ((long)Trajectories * Steps > int.MaxValue)
        {
            throw new ArgumentException($"A batch of {Trajectories} env trajectories × {Steps} steps is too large (more than {int.MaxValue} transitions).");
        }

        if (TotalTimesteps < Transitions)
        {
            throw new ArgumentException($"total-timesteps ({TotalTimesteps}) must cover at least one batch of {Transitions} steps ({Trajectories} env trajectories × {Steps} steps).");
        }
    }

    /// <summary>Throws unless <paramref name="trajectories"/> trajectories of <paramref name="steps"/> steps are this shape's batch.</summary>
    /// <param name="trajectories">Trajectories in the batch given.</param>
    /// <param name="steps">Their length.</param>
    /// <param name="learner">The learner's name, for the message.</param>
    /// <exception cref="ArgumentException">The batch has another shape.</exception>
    public void RequireBatch(int trajectories, int steps, string learner)
    {
        if (trajectories != Trajectories || steps != Steps)
        {
            throw new ArgumentException(
                $"{learner} was built for batches of {Trajectories} env trajectories × {Steps} steps; got {trajectories} × {steps}. "
                + "The run that feeds it must give it segments of the shape it was built for.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Trajectories} trajectories × {Steps} steps, {TotalTimesteps} total steps";
}

namespace Tempo.Algorithms.Learners;

/// <summary>A learning algorithm's settings as a run sees them, whatever the algorithm learns (a policy and its value, or action values).</summary>
/// <remarks>
/// Each algorithm has its own options record implementing this: the actor-critic ones through
/// <see cref="IActorCriticAlgorithm"/>, which also builds their learner over a given model; DQN through
/// <see cref="Dqn.DqnOptions"/>, whose Q-network and ε-greedy acting policy the run builds from the env's spaces.
/// </remarks>
public interface IAlgorithm
{
    /// <summary>The algorithm's name as configs and the CLI spell it (<c>ppo</c>, <c>dqn</c>).</summary>
    string Name { get; }

    /// <summary>The discount factor γ of its returns (a recipe that normalizes rewards discounts them the same way).</summary>
    double Gamma { get; }

    /// <summary>Whether it learns only from experience of the current policy, which only the synchronous schedule gives it.</summary>
    bool IsOnPolicy { get; }

    /// <summary>Throws naming the first setting that is invalid, or that contradicts <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or does not fit the batches.</exception>
    void Validate(LearnerShape shape);
}

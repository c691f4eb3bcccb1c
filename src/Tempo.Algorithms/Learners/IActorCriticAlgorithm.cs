using Tempo.Algorithms.Models;
using Tempo.Core.Seeding;

namespace Tempo.Algorithms.Learners;

/// <summary>An actor-critic algorithm's settings, able to build its learner over the model the run gives it.</summary>
/// <remarks>
/// Each algorithm has its own options record implementing this (<see cref="Ppo.PpoOptions"/>,
/// <see cref="Appo.AppoOptions"/>, <see cref="Impala.ImpalaOptions"/>); the run gives it the model and the batch shape,
/// so an algorithm's options hold only what its loss and optimizer read.
/// </remarks>
public interface IActorCriticAlgorithm : IAlgorithm
{
    /// <summary>Builds the learner over <paramref name="model"/>, which it trains and owns the optimizer of.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="shape">The batches the run will feed it.</param>
    /// <param name="random">The learner's own random stream (minibatch shuffles); learners that draw nothing ignore it.</param>
    ICheckpointableLearner<TObservation, TAction> CreateLearner<TObservation, TAction>(IActorCritic<TObservation, TAction> model, LearnerShape shape, RandomSource random)
        where TObservation : unmanaged
        where TAction : unmanaged;
}

using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Configuration;

namespace Tempo.Runtime.Runs;

/// <summary>Everything a training run is made from: the env, the algorithm, how experience is collected, the schedule, and where results go.</summary>
/// <remarks>
/// <para>One source for every setting: the env's spaces give the model its input and output sizes, the collection
/// options (and actors) give the learner its batch shape, and the algorithm's options hold only what its loss and
/// optimizer read. <see cref="Validate"/> refuses combinations that contradict each other.</para>
/// <para>Build one in code (<c>new RunSettings { Env = "CartPole-v1" }</c>), from the defaults of an env's recipe
/// (<see cref="Recipes.ActorCriticRecipes.Defaults"/>), or from a flat JSON config (<see cref="RunConfig"/>), which is also how
/// checkpoints record it.</para>
/// </remarks>
public sealed record RunSettings
{
    /// <summary>The env's id in the registry the run is given.</summary>
    public required string Env { get; init; }

    /// <summary>The env's options record (the type its registry spec takes), or null for its defaults.</summary>
    public object? EnvOptions { get; init; }

    /// <summary>The learning algorithm and its own options (<see cref="PpoOptions"/>, <see cref="Algorithms.Appo.AppoOptions"/>, <see cref="Algorithms.Impala.ImpalaOptions"/>, <see cref="Algorithms.Dqn.DqnOptions"/>).</summary>
    public IAlgorithm Algorithm { get; init; } = new PpoOptions();

    /// <summary>Who runs when.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Synchronous;

    /// <summary>Envs per actor, steps per rollout or segment, and the step budget.</summary>
    public CollectionOptions Collection { get; init; } = new();

    /// <summary>The network's widths.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Actors and channel of the asynchronous schedule (ignored by the synchronous one).</summary>
    public AsynchronousOptions Async { get; init; } = new();

    /// <summary>Synchronous schedule: pause envs that can pause while the learner trains.</summary>
    public bool Pause { get; init; } = true;

    /// <summary>
    /// Data-parallel learner ranks on this machine (K, <c>num-learners</c>), Lightning Fabric's way: rank r has its own actor
    /// stepping <c>num-envs</c> envs (env i seeded seed + r × num-envs + i) and computes the gradients of its share of every
    /// minibatch; the ranks' gradients are averaged before each optimizer step, so all hold the same weights. PPO on the
    /// synchronous schedule only; 1 (the default) is the single-process learner.
    /// </summary>
    public int NumLearners { get; init; } = 1;

    /// <summary>Seed of envs (env i gets seed + i), networks and shuffles.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where <c>config.json</c>, <c>metrics.csv</c>, TensorBoard events and the checkpoint go; null (the default) for a fresh folder <c>runs/&lt;env&gt;-&lt;algo&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>, which <c>runs/latest</c> then links to.</summary>
    /// <remarks>A folder that holds a run is refused unless this run resumes it (<see cref="ResumeFrom"/> is its checkpoint) or <see cref="OverwriteExistingRun"/> is set.</remarks>
    public string? RunDirectory { get; init; }

    /// <summary>Replace the run in <see cref="RunDirectory"/> if it holds one (its config, metrics, events and checkpoint are deleted first); the CLI's <c>--force</c>. Never stored in a config.</summary>
    public bool OverwriteExistingRun { get; init; }

    /// <summary>Stop once the mean return of the last 20 episodes reaches this; null trains the whole budget.</summary>
    public double? TargetReturn { get; init; }

    /// <summary>Write a checkpoint every this many learner updates (and always at the end).</summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>A checkpoint file to continue from (its run's counters, weights, optimizer and streams), or null for a fresh run.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The batches the learner is fed: one rollout of every env (synchronous), or <see cref="AsynchronousOptions.SegmentsPerUpdate"/> segments (asynchronous).</summary>
    /// <remarks>With data-parallel ranks, a synchronous update is every rank's rollout: <see cref="NumLearners"/> × <c>num-envs</c> trajectories.</remarks>
    public LearnerShape LearnerShape => new(
        checked(Collection.NumEnvs * (Schedule == ScheduleKind.Asynchronous ? Async.SegmentsPerUpdate : NumLearners)),
        Collection.NumSteps,
        Collection.TotalTimesteps);

    /// <summary>Throws naming the first setting that is invalid or contradicts another.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or two settings contradict each other.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Env))
        {
            throw new ArgumentException("env must name a registered env.");
        }

        ArgumentNullException.ThrowIfNull(Algorithm);
        Collection.Validate();
        Model.Validate();
        OptionError.Require(CheckpointEvery > 0, nameof(CheckpointEvery), CheckpointEvery, "must be a positive number of updates");

        if (NumLearners is < 1 or > 64)
        {
            throw new ArgumentException($"num-learners must lie in 1 … 64; got {NumLearners}.");
        }

        if (NumLearners > 1 && Algorithm is not PpoOptions)
        {
            throw new ArgumentException($"num-learners {NumLearners}: data-parallel learning supports ppo on the sync schedule only; {Algorithm.Name} trains with one learner (num-learners 1).");
        }

        if (Schedule == ScheduleKind.Asynchronous)
        {
            Async.Validate();
            if (Algorithm.IsOnPolicy)
            {
                throw new ArgumentException(
                    $"{Algorithm.Name} is on-policy and runs on the sync schedule; for the async schedule use appo (PPO with V-trace correction), impala or dqn.");
            }
        }

        Algorithm.Validate(LearnerShape);
    }
}

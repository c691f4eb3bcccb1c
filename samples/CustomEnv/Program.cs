// Trains PPO on a custom env and evaluates the result, from user code: the same run `tempo train` composes.
using CustomEnv;
using Tempo.Core.Envs.Registry;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

var registry = EnvRegistry.CreateDefault();
new CorridorRegistration().Register(registry);

var defaults = ActorCriticRecipes.Defaults(registry.GetSpec("Corridor-v0"));
var settings = defaults with
{
    RunDirectory = args.Length > 0 ? args[0] : null, // null: a fresh runs/Corridor-v0-ppo-<time>
    TargetReturn = 0.95,
    Collection = defaults.Collection with { TotalTimesteps = 50_000, NumSteps = 32 },
};

var trained = Trainer.Train(registry, settings, new RunHooks { Announce = Console.WriteLine });
var evaluation = Evaluator.Evaluate(registry, trained.RunDirectory, new EvaluationSettings { Episodes = 5 });

Console.WriteLine($"trained {trained.GlobalStep} steps; greedy policy's mean return over 5 episodes: {evaluation.MeanReturn:F2}");
return evaluation.MeanReturn > 0.9 ? 0 : 1;

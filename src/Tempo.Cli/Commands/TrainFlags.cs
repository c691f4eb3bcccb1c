using System.CommandLine;
using System.Text.Json.Nodes;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;

namespace Tempo.Cli.Commands;

/// <summary><c>tempo train</c>'s settings flags: one per config key (<see cref="RunConfig"/>), under the key's name with two dashes; the flags given become the last config layer.</summary>
/// <remarks>
/// Every algorithm's keys are flags, so <c>--gae-lambda</c> exists for every run; giving one that the chosen algorithm
/// does not have is an error that names the algorithms that do (raised when the layers are resolved).
/// </remarks>
internal sealed class TrainFlags
{
    private readonly List<(string Key, Option Option, Func<ParseResult, JsonNode?> Read)> _flags = [];

    public TrainFlags()
    {
        Add<string>("env", "Environment id (see 'tempo envs').");
        var algo = Add<string>("algo", "Learning algorithm.");
        algo.AcceptOnlyFromAmong([.. ActorCriticRecipes.AlgorithmNames]);
        var schedule = Add<string>("schedule", "sync: collect, pause, train, resume; async: actors act while the learner trains.");
        schedule.AcceptOnlyFromAmong("sync", "async");
        Add<int>("seed", "Seed of envs (env i gets seed + i), networks and shuffles.");
        Add<string>("run-dir", "Folder for metrics.csv, TensorBoard events, config and checkpoints.");
        Add<double>("target-return", "Stop once the mean return of the last 20 episodes reaches this.");
        Add<bool>("pause", "Pause envs that can pause while the learner trains (sync schedule).");
        Add<int>("checkpoint-every", "Write checkpoint.tempo every this many learner updates (and always at the end).");
        Add<int>("num-learners", "Data-parallel learner ranks (threads), PPO on the sync schedule: each steps its own --num-envs envs; gradients are averaged before every optimizer step.");
        Add<double>("tick-rate", "World ticks per second of a live env (LiveCartPole-v1 defaults to 50).");

        Add<long>("total-timesteps", "Total env steps to train for.");
        Add<int>("num-envs", "Envs each actor steps together.");
        Add<int>("num-steps", "Steps per env per rollout (sync) or segment (async).");
        Add<int[]>("hidden-sizes", "Hidden layer widths of actor and critic, e.g. --hidden-sizes 64 64 (the CNN: the width of its one fully connected layer).");
        Add<int>("num-actors", "Async schedule: actor threads, each with --num-envs envs.");
        Add<int>("segments-per-update", "Async schedule: segments (each --num-envs trajectories of --num-steps) per learner update.");
        Add<long>("max-policy-lag", "Async schedule: drop segments more than this many versions behind the learner.");
        Add<int>("queue-capacity", "Async schedule: segments the channel holds before its full policy applies.");
        Add<bool>("wire-check", "Async schedule: send every segment and snapshot through the wire codecs in process, as a fleet would.");
        Add<int>("max-actor-restarts", "Async schedule: times an actor whose env fails is rebuilt before it stays down.");

        Add<double>("learning-rate", "Adam's learning rate (the start value when annealed).");
        Add<bool>("anneal-lr", "Anneal the learning rate linearly to 0.");
        Add<double>("gamma", "Discount factor.");
        Add<double>("gae-lambda", "PPO: GAE's lambda.");
        Add<int>("num-minibatches", "PPO, APPO: minibatches per epoch.");
        Add<int>("update-epochs", "PPO, APPO: epochs per update.");
        Add<bool>("norm-adv", "PPO, APPO: normalize advantages per minibatch.");
        Add<double>("clip-coef", "PPO, APPO: surrogate clipping coefficient.");
        Add<bool>("anneal-clip-coef", "PPO: anneal the clipping coefficient linearly to 0 (SB3's lin_ schedule).");
        Add<bool>("clip-vloss", "PPO, APPO: clip the value loss.");
        Add<double>("ent-coef", "Entropy coefficient.");
        Add<double>("vf-coef", "PPO, APPO: value loss coefficient.");
        Add<double>("baseline-coef", "IMPALA: baseline (value) loss coefficient.");
        Add<double>("max-grad-norm", "Global gradient-norm clip.");
        Add<double>("target-kl", "PPO: stop an update's epochs early above this approximate KL.");
        Add<double>("adam-eps", "Adam's epsilon.");
        Add<double>("rho-bar", "APPO, IMPALA: V-trace's truncation of the importance weights (rho-bar).");
        Add<double>("c-bar", "APPO, IMPALA: V-trace's truncation of the trace-cutting weights (c-bar).");

        Add<int>("buffer-size", "DQN, SAC: replay capacity in transitions.");
        Add<int>("batch-size", "DQN, SAC: transitions per gradient step.");
        Add<int>("learning-starts", "DQN, SAC: env steps before the first gradient step.");
        Add<int>("train-frequency", "DQN: env steps between gradient steps.");
        Add<bool>("huber-loss", "DQN: Huber (smooth L1) loss instead of MSE, as SB3.");
        Add<int>("gradient-steps", "DQN: gradient steps taken together every train-frequency env steps (SB3's gradient_steps).");
        Add<int>("update-frequency", "Discrete SAC: env steps between updates (critic, actor and alpha steps).");
        Add<double>("replay-ratio", "DQN, discrete SAC: gradient steps per inserted env step to hold instead of the train/update frequency (async: the learner waits for experience).");
        Add<int>("target-network-frequency", "DQN, SAC: env steps between target network updates.");
        Add<double>("tau", "DQN, SAC: target network update rate (1: copy).");
        Add<double>("start-e", "DQN: exploration epsilon at the start.");
        Add<double>("end-e", "DQN: exploration epsilon after the exploration fraction.");
        Add<double>("exploration-fraction", "DQN: fraction of total-timesteps over which epsilon falls linearly.");
        Add<bool>("double-dqn", "DQN: select bootstrap actions with the online network (Double DQN).");
        Add<bool>("dueling", "DQN: dueling value and advantage heads.");
        Add<int>("n-step", "DQN: rewards summed into one return before bootstrapping.");
        Add<bool>("prioritized-replay", "DQN: sample transitions by priority (|TD error|).");
        Add<double>("prioritized-replay-alpha", "DQN: prioritized replay's alpha.");
        Add<double>("prioritized-replay-beta", "DQN: prioritized replay's starting beta, annealed to 1.");
        Add<double>("prioritized-replay-eps", "DQN: added to |TD error| in priorities.");
        Add<double>("policy-lr", "SAC: the actor's learning rate.");
        Add<double>("q-lr", "SAC: the critics' (and alpha's) learning rate.");
        Add<int>("policy-frequency", "SAC: env steps between actor updates (each then takes that many actor steps).");
        Add<double>("alpha", "SAC: entropy coefficient (the fixed value without --autotune).");
        Add<bool>("autotune", "SAC: tune alpha towards the target entropy -|A| (discrete SAC: scale * log|A|).");
        Add<double>("target-entropy-scale", "Discrete SAC: the target entropy as a fraction of log|A|.");
        Add<bool>("checkpoint-replay", "DQN, SAC: checkpoints carry the replay buffer (replay.tempo), so a resumed run continues from it.");
    }

    /// <summary>The options, in the order help lists them.</summary>
    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The config keys the flags set.</summary>
    public IEnumerable<string> Keys => _flags.Select(f => f.Key);

    /// <summary>The flags the user gave, as a config layer.</summary>
    public ConfigLayer Read(ParseResult parse)
    {
        var values = new JsonObject();
        foreach (var (key, option, read) in _flags)
        {
            // An option the user did not give can still have an implicit result (bool options default to false); only given ones count.
            if (parse.GetResult(option) is { Implicit: false })
            {
                values[key] = read(parse);
            }
        }

        return new ConfigLayer("the command line", values);
    }

    private Option<T> Add<T>(string key, string description)
    {
        var option = new Option<T>($"--{key}") { Description = description };
        if (typeof(T) == typeof(int[]))
        {
            option.AllowMultipleArgumentsPerToken = true;
        }

        _flags.Add((key, option, parse => parse.GetValue(option) switch
        {
            int[] widths => new JsonArray([.. widths.Select(w => JsonValue.Create(w))]),
            var value => JsonValue.Create(value),
        }));
        return option;
    }
}

using System.CommandLine;
using Tempo.Algorithms.Ppo;

namespace Tempo.Cli.Commands;

/// <summary>PPO's hyperparameters as <c>tempo train</c> flags, under CleanRL's names in kebab-case.</summary>
/// <remarks>A flag given on the command line overrides the config file, which overrides the defaults.</remarks>
internal sealed class PpoFlags
{
    private readonly List<(Option Option, Func<ParseResult, PpoOptions, PpoOptions> Apply)> _flags = [];

    public PpoFlags()
    {
        Add<long>("--total-timesteps", "Total env steps to train for.", (o, v) => o with { TotalTimesteps = v });
        Add<double>("--learning-rate", "Adam's learning rate (the start value when annealed).", (o, v) => o with { LearningRate = v });
        Add<int>("--num-envs", "Parallel envs.", (o, v) => o with { NumEnvs = v });
        Add<int>("--num-steps", "Steps per env per rollout.", (o, v) => o with { NumSteps = v });
        Add<bool>("--anneal-lr", "Anneal the learning rate linearly to 0.", (o, v) => o with { AnnealLr = v });
        Add<double>("--gamma", "Discount factor.", (o, v) => o with { Gamma = v });
        Add<double>("--gae-lambda", "GAE's lambda.", (o, v) => o with { GaeLambda = v });
        Add<int>("--num-minibatches", "Minibatches per epoch.", (o, v) => o with { NumMinibatches = v });
        Add<int>("--update-epochs", "Epochs per update.", (o, v) => o with { UpdateEpochs = v });
        Add<bool>("--norm-adv", "Normalize advantages per minibatch.", (o, v) => o with { NormAdv = v });
        Add<double>("--clip-coef", "Surrogate clipping coefficient.", (o, v) => o with { ClipCoef = v });
        Add<bool>("--anneal-clip-coef", "Anneal the clipping coefficient linearly to 0 (SB3's lin_ schedule).", (o, v) => o with { AnnealClipCoef = v });
        Add<bool>("--clip-vloss", "Clip the value loss.", (o, v) => o with { ClipVloss = v });
        Add<double>("--ent-coef", "Entropy coefficient.", (o, v) => o with { EntCoef = v });
        Add<double>("--vf-coef", "Value loss coefficient.", (o, v) => o with { VfCoef = v });
        Add<double>("--max-grad-norm", "Global gradient-norm clip.", (o, v) => o with { MaxGradNorm = v });
        Add<double>("--target-kl", "Stop an update's epochs early above this approximate KL.", (o, v) => o with { TargetKl = v });
        Add<double>("--adam-eps", "Adam's epsilon.", (o, v) => o with { AdamEps = v });
        Add<int[]>("--hidden-sizes", "Hidden layer widths of actor and critic, e.g. --hidden-sizes 64 64 (the CNN: the width of its one fully connected layer).", (o, v) => o with { HiddenSizes = v });
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>Applies the flags the user gave, leaving the others at <paramref name="options"/>' values.</summary>
    public PpoOptions Apply(ParseResult parse, PpoOptions options)
    {
        foreach (var (_, apply) in _flags)
        {
            options = apply(parse, options);
        }

        return options;
    }

    private void Add<T>(string name, string description, Func<PpoOptions, T, PpoOptions> apply)
    {
        var option = new Option<T>(name) { Description = description };
        if (typeof(T) == typeof(int[]))
        {
            option.AllowMultipleArgumentsPerToken = true;
        }

        // Bool options have an implicit result (false) even when not given; only a given flag overrides.
        _flags.Add((option, (parse, options) => parse.GetResult(option) is { Implicit: false } ? apply(options, parse.GetValue(option)!) : options));
    }
}

using Tempo.Algorithms.Appo;
using Tempo.Algorithms.Dqn;
using Tempo.Algorithms.Models;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Runs;
using Tempo.Runtime.Runs.Recipes;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Runs;

/// <summary><c>num-learners</c>: data-parallel PPO runs (MLP, CNN on frames, multi-input on dicts) are deterministic for a fixed K, seed each rank's envs as Fabric does, resume, and are refused for other algorithms.</summary>
public sealed class DataParallelRunTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Train_TwoLearners_SameSeed_SameWeightsBitForBit()
    {
        var registry = EnvRegistry.CreateDefault();
        var first = Trainer.Train(registry, CartPole("first", learners: 2, envs: 2));
        var second = Trainer.Train(registry, CartPole("second", learners: 2, envs: 2));
        var oneLearner = Trainer.Train(registry, CartPole("one", learners: 1, envs: 4));

        Assert.Equal(Weights(first.CheckpointPath), Weights(second.CheckpointPath));
        Assert.Equal(first.Episodes, second.Episodes);
        Assert.Equal(4096, first.GlobalStep);
        Assert.NotEqual(Weights(first.CheckpointPath), Weights(oneLearner.CheckpointPath));
        Assert.Equal(8, CheckpointFile.ReadMetadata(first.CheckpointPath).Updates); // 4096 steps / (2 ranks × 2 envs × 128 steps)
    }

    [Theory]
    [InlineData("Catch-v0")]
    [InlineData("CatchFeatures-v0")]
    public void Train_TwoLearnersOnFramesOrDict_SameSeed_SameCnnWeightsBitForBit(string env)
    {
        var registry = EnvRegistry.CreateDefault();
        var settings = SmallPixels(registry, env, "first");
        var first = Trainer.Train(registry, settings);
        var second = Trainer.Train(registry, settings with { RunDirectory = _directory.File("second") });
        var oneLearner = Trainer.Train(registry, settings with { RunDirectory = _directory.File("one"), NumLearners = 1, Collection = settings.Collection with { NumEnvs = 4 } });

        var weights = CheckpointWeights(registry, env, first.CheckpointPath);
        Assert.Equal(weights, CheckpointWeights(registry, env, second.CheckpointPath));
        Assert.Equal(first.Episodes, second.Episodes);
        Assert.NotEqual(weights, CheckpointWeights(registry, env, oneLearner.CheckpointPath));
        Assert.Equal(256, first.GlobalStep);
        Assert.Equal(2, CheckpointFile.ReadMetadata(first.CheckpointPath).Updates); // 256 steps / (2 ranks × 2 envs × 32 steps)
    }

    [Fact]
    public void Train_OneLearner_IsTheSingleProcessRun()
    {
        var registry = EnvRegistry.CreateDefault();
        var plain = CartPole("plain", learners: 1, envs: 4);
        var single = Trainer.Train(registry, plain);
        var explicitOne = Trainer.Train(registry, plain with { RunDirectory = _directory.File("explicit"), NumLearners = 1 });

        Assert.Equal(Weights(single.CheckpointPath), Weights(explicitOne.CheckpointPath));
        Assert.Equal(single.Episodes, explicitOne.Episodes);
    }

    [Fact]
    public void Train_TwoLearners_RanksStepTheirEnvsAtOnce()
    {
        // Every env's first step waits until the other rank's env is inside a step too: collected rank after rank, the first
        // would wait out the timeout alone. 30 s is far beyond a worker's wake-up on a loaded machine (milliseconds).
        using var rendezvous = new Barrier(2);
        var met = new List<bool>();
        var registry = EnvRegistry.CreateDefault();
        registry.Register(EnvSpec.Create(Rendezvous.Id, () => new Rendezvous(rendezvous, TimeSpan.FromSeconds(30), met), maxEpisodeSteps: 20));
        var settings = new RunSettings
        {
            Env = Rendezvous.Id,
            NumLearners = 2,
            RunDirectory = _directory.File("rendezvous"),
            Collection = new CollectionOptions { NumEnvs = 1, NumSteps = 8, TotalTimesteps = 16 },
            Algorithm = new Algorithms.Ppo.PpoOptions { NumMinibatches = 2 },
        };

        Trainer.Train(registry, settings);

        Assert.Equal([true, true], met);
    }

    [Fact]
    public void Train_TwoLearnersOfThreeEnvs_SeedsEnvIOfRankRWithSeedPlusRTimesThreePlusI()
    {
        var registry = EnvRegistry.CreateDefault();
        var seeds = new List<int>();
        registry.Register(EnvSpec.Create(SeedRecorder.Id, () => new SeedRecorder(seeds), maxEpisodeSteps: 20));
        var settings = new RunSettings
        {
            Env = SeedRecorder.Id,
            Seed = 10,
            NumLearners = 2,
            RunDirectory = _directory.File("seeds"),
            Collection = new CollectionOptions { NumEnvs = 3, NumSteps = 8, TotalTimesteps = 48 },
            Algorithm = new Algorithms.Ppo.PpoOptions { NumMinibatches = 2 },
        };

        Trainer.Train(registry, settings);

        // The first reset of every env is seeded; later episodes continue each env's own stream.
        Assert.Equal([10, 11, 12, 13, 14, 15], seeds.Order());
    }

    [Fact]
    public void Train_TwoLearners_ResumeContinuesEveryRanksStreams()
    {
        var registry = EnvRegistry.CreateDefault();
        var first = Trainer.Train(registry, CartPole("run", learners: 2, envs: 2) with { Collection = new CollectionOptions { NumEnvs = 2, TotalTimesteps = 2048 } });

        var resumed = Trainer.Train(
            registry,
            CartPole("run", learners: 2, envs: 2) with { ResumeFrom = first.CheckpointPath, Collection = new CollectionOptions { NumEnvs = 2, TotalTimesteps = 4096 } });
        var metadata = CheckpointFile.ReadMetadata(resumed.CheckpointPath);

        Assert.Equal(4096, resumed.GlobalStep);
        Assert.Equal(8, metadata.Updates);
        Assert.Contains(RandomStreamKey.LearnerRank(1).Name, metadata.RandomStates.Keys);
        Assert.Contains(RandomStreamKey.Actor(1).Name, metadata.RandomStates.Keys);
    }

    [Theory]
    [InlineData("appo")]
    [InlineData("dqn")]
    public void Train_OtherAlgorithmsWithTwoLearners_AreRefusedInOneLine(string algorithm)
    {
        var settings = CartPole("refused", learners: 2, envs: 2) with { Algorithm = algorithm == "appo" ? new AppoOptions() : new DqnOptions() };

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), settings));

        Assert.Equal($"num-learners 2: data-parallel learning supports ppo on the sync schedule only; {algorithm} trains with one learner (num-learners 1).", error.Message);
        Assert.False(Directory.Exists(_directory.File("refused")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Train_LearnersOutOfRange_AreRefusedNamingTheValue(int learners)
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(EnvRegistry.CreateDefault(), CartPole("range", learners, envs: 2)));

        Assert.Equal($"num-learners must lie in 1 … 64; got {learners}.", error.Message);
    }

    [Fact]
    public void Config_NumLearnersKey_ResolvesAndRoundTrips()
    {
        var registry = EnvRegistry.CreateDefault();
        var layer = new ConfigLayer("test.json", new System.Text.Json.Nodes.JsonObject { ["num-learners"] = 2 });

        var settings = RunConfig.Resolve(registry, [layer]);
        var again = RunConfig.Resolve(registry, [new ConfigLayer("config.json", System.Text.Json.Nodes.JsonNode.Parse(RunConfig.Serialize(settings))!.AsObject())]);

        Assert.Equal(2, settings.NumLearners);
        Assert.Equal(2, again.NumLearners);
        Assert.Equal(1, RunConfig.Resolve(registry, []).NumLearners);
    }

    private RunSettings CartPole(string name, int learners, int envs) => new()
    {
        Env = "CartPole-v1",
        Seed = 4,
        NumLearners = learners,
        RunDirectory = _directory.File(name),
        Collection = new CollectionOptions { NumEnvs = envs, TotalTimesteps = 4096 },
    };

    /// <summary>The env's own recipe (the Nature CNN, or the multi-input model for a dict) on 36×36 frames, two ranks of two envs.</summary>
    private RunSettings SmallPixels(EnvRegistry registry, string env, string name)
    {
        var defaults = ActorCriticRecipes.Defaults(registry.GetSpec(env));
        return defaults with
        {
            Seed = 3,
            NumLearners = 2,
            RunDirectory = _directory.File(name),
            EnvOptions = new CatchOptions { FrameHeight = 36, FrameWidth = 36 },
            Collection = defaults.Collection with { NumEnvs = 2, NumSteps = 32, TotalTimesteps = 256 },
            Algorithm = new Algorithms.Ppo.PpoOptions { NumMinibatches = 2, UpdateEpochs = 2 },
        };
    }

    private static float[] CheckpointWeights(EnvRegistry registry, string env, string checkpoint)
    {
        var spec = CheckpointFile.ReadMetadata(checkpoint).Model!;
        using var probe = registry.Make(env, new CatchOptions { FrameHeight = 36, FrameWidth = 36 });
        var model = spec.Create<byte, int>(probe.ObservationSpace, new RandomSource(0), parallelism: null);
        CheckpointFile.Load(checkpoint, model.NamedParameters);
        var weights = new float[model.WeightCount];
        model.CopyWeightsTo(weights);
        return weights;
    }

    private static float[] Weights(string checkpoint)
    {
        var model = new CategoricalMlpActorCritic(4, 2, [64, 64], new RandomSource(0));
        CheckpointFile.Load(checkpoint, model.NamedParameters);
        var weights = new float[model.WeightCount];
        model.CopyWeightsTo(weights);
        return weights;
    }

    /// <summary>An env whose first step meets another env's first step at a barrier, and writes down whether they met.</summary>
    private sealed class Rendezvous(Barrier barrier, TimeSpan timeout, List<bool> met) : Env<float, int>(new BoxSpace<float>(0f, 1f, 1), new DiscreteSpace(2))
    {
        public const string Id = "Rendezvous-v0";

        private bool _stepped;

        protected override void ResetCore(Span<float> observation) => observation[0] = 0;

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
        {
            if (!_stepped)
            {
                _stepped = true;
                var together = barrier.SignalAndWait(timeout);
                lock (met)
                {
                    met.Add(together);
                }
            }

            return new(1f, false, false);
        }
    }

    /// <summary>An env that writes down the seed of every seeded reset.</summary>
    private sealed class SeedRecorder(List<int> seeds) : Env<float, int>(new BoxSpace<float>(0f, 1f, 1), new DiscreteSpace(2))
    {
        public const string Id = "SeedRecorder-v0";

        protected override void ResetCore(Span<float> observation) => observation[0] = 0;

        protected override void ResetCore(Span<float> observation, int? seed)
        {
            if (seed is { } given)
            {
                lock (seeds)
                {
                    seeds.Add(given);
                }
            }

            ResetCore(observation);
        }

        protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation) => new(action[0], false, false);
    }
}

using System.Diagnostics;
using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Learners;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Ppo;
using Tempo.Core.Envs;
using Tempo.Core.Envs.Pixel;
using Tempo.Core.Seeding;
using Tempo.Core.Vector;
using Tempo.Core.Wrappers;
using Tempo.Runtime.Actors;
using Tempo.Runtime.Schedules;

namespace Tempo.Algorithms.Tests.Ppo;

public sealed class PpoDictCatchTests
{
    private const int NumEnvs = 8;
    private const int NumSteps = 32;
    private const int Budget = 40_960;

    // Catch ends every 9 steps with +1 or −1; a uniformly random paddle catches about a third of the balls (mean ≈ −0.3).
    private const double Target = 0.8;

    [Fact]
    public void Ppo_OnCatchWithFramesAndPositionFeatures_LearnsToCatch()
    {
        // The whole dict path: Catch's dict observation (36×36 frame + 3 floats), the frame part stacked twice, a vector
        // env, segments, PPO and the multi-input model (CNN on the frames, MLP on the features), composed directly.
        var catchOptions = new CatchOptions { FrameHeight = 36, FrameWidth = 36, PositionFeatures = true };
        var envs = new IEnv<byte, int>[NumEnvs];
        for (var i = 0; i < NumEnvs; i++)
        {
            envs[i] = new RecordEpisodeStatistics<byte, int>(new DictFrameStackObservation<int>(new Catch(catchOptions), Catch.FramesPart, 2));
        }

        using var vector = new SyncVectorEnv<byte, int>(envs);
        var options = new PpoOptions { LearningRate = 1e-3 };
        var shape = new LearnerShape(NumEnvs, NumSteps, Budget);
        var space = vector.SingleObservationSpace;
        var model = MultiInputActorCritic.ForSpace(space, 3, new RandomSource(1), hiddenSize: 64);
        var acting = MultiInputActorCritic.ForSpace(space, 3, new RandomSource(2), hiddenSize: 64);
        var learner = new PpoLearner<byte, int>(model, options, shape, new RandomSource(3));
        using var returns = new Returns(Target);
        var actor = new Actor<byte, int>(new ActorId(0), vector, acting, returns);
        actor.Start(seed: 4);
        var schedule = new SynchronousSchedule<byte, int>(
            [actor], learner, new SynchronousScheduleOptions { Iterations = Budget / (NumEnvs * NumSteps), StepsPerRollout = NumSteps }, returns);
        var clock = Stopwatch.StartNew();

        schedule.Run(returns.Solved);

        Assert.True(
            returns.SolvedAtStep is not null,
            $"PPO did not reach a last-20 mean of {Target} in {Budget} steps; best {returns.BestMean:F2} after {returns.Count} episodes ({clock.Elapsed.TotalSeconds:F1} s).");
    }

    private sealed class Returns(double target) : ITrainingCallbacks, IDisposable
    {
        private readonly List<double> _returns = [];
        private readonly CancellationTokenSource _solved = new();

        public CancellationToken Solved => _solved.Token;

        public double BestMean { get; private set; } = double.NegativeInfinity;

        public long? SolvedAtStep { get; private set; }

        public int Count => _returns.Count;

        public void OnEpisodeEnded(in EpisodeEnded episode)
        {
            _returns.Add(episode.Statistics.Return);
            if (_returns.Count < 20)
            {
                return;
            }

            var mean = _returns.Skip(_returns.Count - 20).Average();
            BestMean = Math.Max(BestMean, mean);
            if (mean >= target && SolvedAtStep is null)
            {
                SolvedAtStep = episode.Step;
                _solved.Cancel();
            }
        }

        public void Dispose() => _solved.Dispose();
    }
}

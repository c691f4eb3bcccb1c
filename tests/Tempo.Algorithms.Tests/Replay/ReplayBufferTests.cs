using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Replay;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Replay;

public sealed class ReplayBufferTests
{
    private const int Streams = 3;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void NStepTransitionsMatchABruteForceReference(int nSteps)
    {
        const double gamma = 0.9;
        var steps = Generate(seed: nSteps, stepsPerStream: 200);
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(Capacity: 10_000, NSteps: nSteps, Gamma: gamma), observationSize: 2, actionSize: 1);
        foreach (var step in Interleave(steps))
        {
            buffer.Add(step.Stream, step.Observation, [step.Action], step.Reward, step.Terminated, step.Truncated, step.Next);
        }

        var expected = steps.SelectMany(stream => BruteForce(stream, nSteps, gamma)).OrderBy(t => (t.Key[0], t.Key[^1])).ToList();
        var actual = ReadAll(buffer).OrderBy(t => (t.Key[0], t.Key[^1])).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Key, a.Key);
            Assert.Equal(e.Key[0], a.Next[0]);
            Assert.Equal(e.Action, a.Action);
            // Both sum the discounted rewards in double (orders agree to ~1e-16 relative) and round once to float32, so
            // they differ only where the two sums straddle a float32 rounding boundary: by at most one ulp. Both
            // discounts are (float)γ^m, the same operation on the same value.
            Assert.True(Math.Abs(e.Return - a.Return) <= MathF.BitIncrement(Math.Abs(e.Return)) - Math.Abs(e.Return), $"return {a.Return:R}, reference {e.Return:R}");
            Assert.Equal(e.Discount, a.Discount);
            if (e.Discount > 0)
            {
                Assert.Equal(e.Next, a.Next);
            }
        }
    }

    [Fact]
    public void SegmentsInsertTheSameTransitionsAsSteps()
    {
        var layout = new SegmentLayout(Steps: 4, Envs: 2, ObservationSize: 1, ActionSize: 1);
        var bySegment = new ReplayBuffer<float, int>(new ReplayOptions(100, NSteps: 2, Gamma: 0.5), 1, 1);
        var byStep = new ReplayBuffer<float, int>(new ReplayOptions(100, NSteps: 2, Gamma: 0.5), 1, 1);
        var segment = new Segment<float, int>(layout);

        // Env 0 runs one episode through both segments; env 1's episode is truncated at step 2 (final obs 99), then resets to 50.
        float[] observation = [0, 10];
        for (var s = 0; s < 2; s++)
        {
            segment.Clear();
            for (var t = 0; t < 4; t++)
            {
                for (var i = 0; i < 2; i++)
                {
                    var k = (t * 2) + i;
                    segment.ObservationAt(t, i)[0] = observation[i];
                    segment.Actions[k] = (s * 10) + t;
                    segment.Rewards[k] = 1 + i;
                    var truncated = i == 1 && s == 0 && t == 2;
                    segment.Truncated[k] = truncated;
                    float next = truncated ? 99 : observation[i] + 1;
                    segment.FinalObservations[k] = next;
                    byStep.Add(i, [observation[i]], [segment.Actions[k]], segment.Rewards[k], false, truncated, [next]);
                    observation[i] = truncated ? 50 : next;
                }
            }

            segment.BootstrapObservations[0] = observation[0];
            segment.BootstrapObservations[1] = observation[1];
            bySegment.AddSegment(segment, firstStream: 0);
        }

        Assert.Equal(ReadAll(byStep).Select(t => t.ToString()), ReadAll(bySegment).Select(t => t.ToString()));
        Assert.Equal(14, bySegment.Count);
    }

    [Fact]
    public void CapacityCountsTransitionsAndDropsTheOldest()
    {
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(Capacity: 5), 1, 1);
        for (var t = 0; t < 12; t++)
        {
            buffer.Add(0, [t], [t], t, false, false, [t + 1]);
        }

        Assert.Equal(5, buffer.Count);
        Assert.Equal(7, buffer.OldestId);
        Assert.Equal([7f, 8, 9, 10, 11], ReadAll(buffer).Select(t => t.Key[0]));
    }

    [Fact]
    public void StacksOfFourKeepEachFrameOnceAndReadBackExactly()
    {
        const int side = 84;
        const int frame = side * side;
        const int capacity = 10_000;
        var buffer = new ReplayBuffer<byte, int>(new ReplayOptions(capacity, FramesPerObservation: 4), 4 * frame, 1);
        var random = new Random(4);
        var stack = new byte[4 * frame];
        var next = new byte[4 * frame];
        int[] stackFrames = [1, 1, 1, 1];
        var reference = new Dictionary<long, (int[] Observation, int[] Next)>();
        var frameNumber = 1;
        Render(stackFrames, stack);
        for (var step = 0; step < (5 * capacity) / 2; step++)
        {
            // The stack shifts by one frame per step, as a frame-stack wrapper's does; a reset repeats its first frame.
            int[] nextFrames = [stackFrames[1], stackFrames[2], stackFrames[3], ++frameNumber];
            stack.AsSpan(frame).CopyTo(next);
            Fill(next.AsSpan(3 * frame), frameNumber);
            var truncated = random.Next(40) == 0;
            var inserted = buffer.Inserted;
            buffer.Add(0, stack, [step], 1, false, truncated, next);
            if (buffer.Inserted > inserted)
            {
                reference[inserted] = (stackFrames, nextFrames);
            }

            stackFrames = truncated ? [++frameNumber, frameNumber, frameNumber, frameNumber] : nextFrames;
            if (truncated)
            {
                Render(stackFrames, stack);
            }
            else
            {
                next.CopyTo(stack, 0);
            }
        }

        Assert.Equal(capacity, buffer.Count);
        var batch = new ReplayBatch<byte, int>(1, 4 * frame, 1);
        var expected = new byte[4 * frame];
        for (var id = buffer.OldestId; id < buffer.Inserted; id += 7)
        {
            buffer.Read(id, batch, 0);
            Render(reference[id].Observation, expected);
            Assert.True(expected.AsSpan().SequenceEqual(batch.Observations), $"observation {id}");
            Render(reference[id].Next, expected);
            Assert.True(expected.AsSpan().SequenceEqual(batch.NextObservations), $"next observation {id}");
        }

        // Naive storage keeps a 4-frame stack per transition (SB3's optimize_memory_usage); CleanRL's default keeps two.
        var naive = (long)capacity * 4 * frame;
        // Each frame once (a quarter) plus the store's slack for short episodes and open windows: about 0.30.
        Assert.True(buffer.Bytes < 0.31 * naive, $"{buffer.Bytes} bytes is not about a quarter of {naive}");
    }

    [Fact]
    public void ADictsStackedPartKeepsEachFrameOnceAndItsOtherPartsReadBackExactly()
    {
        // A dict observation as SuperTux's: 24 bytes of features before a [4, H, W] stack, and 8 bytes after it (a
        // part named later). The features change every step and are kept whole; the stack shares frames.
        const int head = 24;
        const int tail = 8;
        const int frame = 32 * 32;
        const int capacity = 10_000;
        const int size = head + (4 * frame) + tail;
        var options = new ReplayOptions(capacity, FramesPerObservation: 4) { FrameStack = head..(head + (4 * frame)) };
        var buffer = new ReplayBuffer<byte, int>(options, size, 1);
        var random = new Random(5);
        var observation = new byte[size];
        var next = new byte[size];
        var stackFrames = new[] { 1, 1, 1, 1 };
        var parts = 1;
        var reference = new Dictionary<long, (int[] Frames, int Parts, int[] NextFrames, int NextParts)>();
        var frameNumber = 1;
        Write(observation, stackFrames, parts);
        for (var step = 0; step < 2 * capacity; step++)
        {
            int[] nextFrames = [stackFrames[1], stackFrames[2], stackFrames[3], ++frameNumber];
            var nextParts = ++parts;
            Write(next, nextFrames, nextParts);
            var truncated = random.Next(40) == 0;
            var inserted = buffer.Inserted;
            buffer.Add(0, observation, [step], 1, false, truncated, next);
            if (buffer.Inserted > inserted)
            {
                reference[inserted] = (stackFrames, nextParts - 1, nextFrames, nextParts);
            }

            (stackFrames, parts) = truncated ? ([++frameNumber, frameNumber, frameNumber, frameNumber], ++parts) : (nextFrames, nextParts);
            Write(observation, stackFrames, parts);
        }

        var batch = new ReplayBatch<byte, int>(1, size, 1);
        var expected = new byte[size];
        for (var id = buffer.OldestId; id < buffer.Inserted; id += 5)
        {
            buffer.Read(id, batch, 0);
            var (frames, observationParts, nextFrames, nextParts) = reference[id];
            Write(expected, frames, observationParts);
            Assert.True(expected.AsSpan().SequenceEqual(batch.Observations), $"observation {id}");
            Write(expected, nextFrames, nextParts);
            Assert.True(expected.AsSpan().SequenceEqual(batch.NextObservations), $"next observation {id}");
        }

        // Each frame once plus the other parts whole, (frame + head + tail) / size = 0.26 of naive storage, times the
        // store's slack (a sixteenth and 1,024 more observations, a thirty-second more frames: 1.2 at this capacity),
        // plus the frame lists and transition arrays (0.02): about 0.33. Whole dicts would cost 1.2 of naive.
        var naive = (long)capacity * size;
        Assert.True(buffer.Bytes < 0.35 * naive, $"{buffer.Bytes} bytes is not about a quarter of {naive}");

        static void Write(byte[] observation, int[] frames, int parts)
        {
            Fill(observation.AsSpan(0, head), parts);
            for (var j = 0; j < 4; j++)
            {
                Fill(observation.AsSpan(head + (j * frame), frame), frames[j]);
            }

            Fill(observation.AsSpan(size - tail, tail), -parts);
        }
    }

    [Fact]
    public void AFrameStackOutsideTheObservationIsRefused()
    {
        var options = new ReplayOptions(10, FramesPerObservation: 4) { FrameStack = 8..48 };

        var error = Assert.Throws<ArgumentException>(() => new ReplayBuffer<byte, int>(options, 40, 1));

        Assert.Contains("8..48", error.Message);
    }

    [Fact]
    public void PrioritizedSamplingMatchesRainbowAtariReference()
    {
        using var document = OffPolicyFixtures.Load("per.json");
        var root = document.RootElement;
        var td = FixtureTensor.Read(root, "td_errors").Floats;
        var options = new PrioritizedReplayOptions { Alpha = root.GetProperty("alpha").GetDouble(), Beta = root.GetProperty("beta").GetDouble(), Epsilon = root.GetProperty("eps").GetDouble() };
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(td.Length, Prioritized: options), 1, 1);
        for (var t = 0; t < td.Length; t++)
        {
            buffer.Add(0, [t], [t], 0, false, false, [t + 1]);
        }

        long[] ids = [.. Enumerable.Range(0, td.Length).Select(i => (long)i)];
        buffer.UpdatePriorities(ids, td);
        // Both sides work in float64: a power per priority (within an ulp), their sum in another order (the sum-tree's
        // against NumPy's; n ulps of the total, all terms positive) and a ratio, so a probability is within (n + 3)
        // float64 ulps relative on each side: 2(n + 3)·2^-53 between them.
        var float64Slack = 2 * (td.Length + 3) * Math.Pow(2, -53);
        var probabilities = FixtureTensor.Read(root, "probabilities").Data;
        for (var i = 0; i < td.Length; i++)
        {
            Float32Bounds.AssertWithin(probabilities[i], buffer.Probability(i), float64Slack * probabilities[i], $"probability {i}");
        }

        var uniforms = FixtureTensor.Read(root, "uniforms").Data;
        var batch = new ReplayBatch<float, int>(uniforms.Length, 1, 1);
        buffer.Sample(batch, new ScriptedRandom(uniforms), options.Beta);
        Assert.Equal(FixtureTensor.Read(root, "indices").Data.Select(x => (long)x), batch.Ids);
        var weights = FixtureTensor.Read(root, "weights").Data;
        for (var k = 0; k < weights.Length; k++)
        {
            // (n·p)^-β in float64 (the probability's slack, times β, plus the power's ulp), rounded to float32, divided
            // by the largest and rounded again: γ_2 relative on top.
            Float32Bounds.AssertWithin(weights[k], batch.Weights[k], (Float32Bounds.Gamma(2) + (2 * float64Slack)) * weights[k], $"weight {k}");
            Assert.Equal(batch.Ids[k], batch.Observations[k]);
        }
    }

    [Fact]
    public void PrioritizedDrawsFollowTheProbabilities()
    {
        var options = new PrioritizedReplayOptions { Alpha = 1.0 };
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(4, Prioritized: options), 1, 1);
        for (var t = 0; t < 4; t++)
        {
            buffer.Add(0, [t], [t], 0, false, false, [t + 1]);
        }

        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var batch = new ReplayBatch<float, int>(10, 1, 1);
        var counts = new int[4];
        var random = new Random(7);
        for (var draw = 0; draw < 4_000; draw++)
        {
            buffer.Sample(batch, random, beta: 1);
            foreach (var id in batch.Ids)
            {
                counts[id]++;
            }
        }

        // 40,000 draws: a share's standard deviation is below 0.0025, so 0.01 is four of them.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((i + 1) / 10.0, counts[i] / 40_000.0, 0.01);
        }

        Assert.Equal(1.0 + 1e-6 + 3, buffer.MaxPriority, 9);
    }

    [Fact]
    public void NewTransitionsGetTheLargestPrioritySeen()
    {
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(8, Prioritized: new PrioritizedReplayOptions { Alpha = 1 }), 1, 1);
        buffer.Add(0, [0], [0], 0, false, false, [1]);
        buffer.UpdatePriorities([0], [5f]);
        buffer.Add(0, [1], [0], 0, false, false, [2]);
        Assert.Equal(0.5, buffer.Probability(1), 1e-6);
    }

    [Fact]
    public void InsertingAndSamplingAllocateNothing()
    {
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(1_000, NSteps: 3, Prioritized: new PrioritizedReplayOptions()), 4, 1);
        var batch = new ReplayBatch<float, int>(32, 4, 1);
        var observation = new float[4];
        var next = new float[4];
        var action = new int[1];
        var td = new float[32];
        var random = new Random(1);
        var step = 0;
        var allocated = Allocations.OnThisThread(
            () =>
            {
                observation[0] = step;
                next[0] = ++step;
                buffer.Add(0, observation, action, 1, step % 50 == 0, false, next);
                if (buffer.Count > 0)
                {
                    buffer.Sample(batch, random, 0.5);
                    buffer.UpdatePriorities(batch.Ids, td);
                }
            },
            warmUp: 2_000,
            repetitions: 2_000);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SavedBufferLoadsIntoAnEqualOneThatContinuesAlike()
    {
        var options = new ReplayOptions(50, NSteps: 3, Gamma: 0.9, Prioritized: new PrioritizedReplayOptions());
        var original = new ReplayBuffer<float, int>(options, 2, 1);
        var steps = Generate(seed: 9, stepsPerStream: 60);
        var all = Interleave(steps).ToList();
        foreach (var step in all.Take(100))
        {
            original.Add(step.Stream, step.Observation, [step.Action], step.Reward, step.Terminated, step.Truncated, step.Next);
        }

        original.UpdatePriorities([original.OldestId, original.OldestId + 1], [3f, 0.5f]);
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        var loaded = new ReplayBuffer<float, int>(options, 2, 1);
        loaded.Load(stream);

        // The open n-step windows came along: the rest of the steps form the same transitions in both.
        foreach (var step in all.Skip(100))
        {
            original.Add(step.Stream, step.Observation, [step.Action], step.Reward, step.Terminated, step.Truncated, step.Next);
            loaded.Add(step.Stream, step.Observation, [step.Action], step.Reward, step.Terminated, step.Truncated, step.Next);
        }

        Assert.Equal(ReadAll(original).Select(t => t.ToString()), ReadAll(loaded).Select(t => t.ToString()));
        Assert.Equal(original.OldestId, loaded.OldestId);
        for (var id = original.OldestId; id < original.Inserted; id++)
        {
            Assert.Equal(original.Probability(id), loaded.Probability(id));
        }
    }

    [Fact]
    public void SavedBufferOfAnotherLayoutIsRefusedNamingBoth()
    {
        using var stream = new MemoryStream();
        new ReplayBuffer<float, int>(new ReplayOptions(50), 2, 1).Save(stream);
        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => new ReplayBuffer<float, int>(new ReplayOptions(60), 2, 1).Load(stream));
        Assert.Contains("50 transitions", error.Message, StringComparison.Ordinal);
        Assert.Contains("60 transitions", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AStreamThatIdledWhileOthersFilledTheStoreNeverLeavesAnUnreadableTransition(int nSteps)
    {
        // A fleet actor that stalled: stream 0 takes a step, stream 1 alone fills the observation store past it, then
        // stream 0 resumes from where it stopped. Its window's observations are near eviction; a transition formed from
        // them must not outlive them (reading it would fail), and every transition held must stay readable.
        var buffer = new ReplayBuffer<float, int>(new ReplayOptions(Capacity: 100, NSteps: nSteps), 1, 1);
        var stored = 100 + (100 / 16) + 1024; // the store's room (see the remarks): more than this evicts stream 0's step
        buffer.Add(0, [-1], [0], 1, false, false, [-2]);
        for (var t = 0; t < stored - 10; t++)
        {
            buffer.Add(1, [t], [1], 1, false, false, [t + 1]);
        }

        for (var t = 0; t < 3 * nSteps; t++)
        {
            buffer.Add(0, [-2 - t], [0], 1, false, false, [-3 - t]);
        }

        for (var t = stored - 10; t < stored + 200; t++)
        {
            buffer.Add(1, [t], [1], 1, false, false, [t + 1]);
            Assert.Equal(buffer.Count, ReadAll(buffer).Count);
        }

        Assert.True(buffer.StaleDropped > 0, "stream 0's first transitions after its stall are counted as stale");
        var batch = new ReplayBatch<float, int>(256, 1, 1);
        buffer.Sample(batch, new Random(1));
    }

    [Fact]
    public void BadSettingsNameTheValue()
    {
        Assert.Contains("buffer-size", Assert.Throws<ArgumentException>(() => new ReplayOptions(0).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("n-step", Assert.Throws<ArgumentException>(() => new ReplayOptions(10, NSteps: 0).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("alpha", Assert.Throws<ArgumentException>(() => new PrioritizedReplayOptions { Alpha = 2 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new ReplayBuffer<float, int>(new ReplayOptions(4), 1, 1).Sample(new ReplayBatch<float, int>(1, 1, 1), new Random(1)));
    }

    private static void Render(int[] frames, byte[] stack)
    {
        for (var j = 0; j < 4; j++)
        {
            Fill(stack.AsSpan(j * stack.Length / 4, stack.Length / 4), frames[j]);
        }
    }

    private static void Fill(Span<byte> frame, int frameNumber)
    {
        var random = new Random(frameNumber);
        random.NextBytes(frame);
    }

    private static List<Transition> ReadAll(ReplayBuffer<float, int> buffer)
    {
        var batch = new ReplayBatch<float, int>(1, buffer.ObservationSize, 1);
        var result = new List<Transition>();
        for (var id = buffer.OldestId; id < buffer.Inserted; id++)
        {
            buffer.Read(id, batch, 0);
            result.Add(new Transition([.. batch.Observations], batch.Actions[0], batch.Rewards[0], batch.Discounts[0], [.. batch.NextObservations]));
        }

        return result;
    }

    /// <summary>Every stream's steps; observation (stream, step index) so each is unique.</summary>
    private static List<List<Step>> Generate(int seed, int stepsPerStream)
    {
        var random = new Random(seed);
        var result = new List<List<Step>>();
        for (var s = 0; s < Streams; s++)
        {
            var steps = new List<Step>();
            var episodeStart = true;
            for (var t = 0; t < stepsPerStream; t++)
            {
                var roll = random.Next(12);
                var terminated = roll == 0;
                var truncated = roll == 1;
                var observation = new float[] { s, t };

                // After an episode ends the next step starts from a reset observation, never from the final one.
                var next = terminated || truncated ? new float[] { s, 1_000 + t } : new float[] { s, t + 1 };
                steps.Add(new Step(s, observation, t, (float)random.NextDouble(), terminated, truncated, next, episodeStart));
                episodeStart = terminated || truncated;
            }

            result.Add(steps);
        }

        return result;
    }

    private static IEnumerable<Step> Interleave(List<List<Step>> streams)
    {
        for (var t = 0; t < streams[0].Count; t++)
        {
            foreach (var stream in streams)
            {
                yield return stream[t];
            }
        }
    }

    /// <summary>Each step's n-step transition computed directly from the definition, window by window.</summary>
    private static IEnumerable<Transition> BruteForce(List<Step> steps, int n, double gamma)
    {
        for (var s = 0; s < steps.Count; s++)
        {
            var ret = 0.0;
            var m = 0;
            var terminated = false;
            for (; m < n && s + m < steps.Count; m++)
            {
                var step = steps[s + m];
                ret += Math.Pow(gamma, m) * step.Reward;
                if (step.Terminated || step.Truncated)
                {
                    terminated = step.Terminated;
                    m++;
                    break;
                }
            }

            var last = steps[s + m - 1];
            if (!terminated && !last.Truncated && m < n)
            {
                // The stream's tail: its window is still open, so the buffer has not formed this transition yet.
                continue;
            }

            yield return new Transition(steps[s].Observation, steps[s].Action, (float)ret, terminated ? 0 : (float)Math.Pow(gamma, m), last.Next);
        }
    }

    private sealed record Step(int Stream, float[] Observation, int Action, float Reward, bool Terminated, bool Truncated, float[] Next, bool EpisodeStart);

    private sealed record Transition(float[] Key, int Action, float Return, float Discount, float[] Next)
    {
        public override string ToString() => $"[{string.Join(',', Key)}] a={Action} R={Return} d={Discount} next=[{string.Join(',', Next)}]";
    }
}

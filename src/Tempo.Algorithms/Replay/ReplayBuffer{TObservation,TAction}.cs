using System.Runtime.InteropServices;
using Tempo.Algorithms.Experience;

namespace Tempo.Algorithms.Replay;

/// <summary>A replay buffer of n-step transitions, sampled uniformly or by priority, that stores each observation (and each frame of a stack) once.</summary>
/// <remarks>
/// <para>Steps arrive per stream (one env of one actor) in order. The buffer sums n rewards into a transition's return
/// and bootstraps from the observation n steps later with γ^n; an episode that ends inside the window closes every
/// open window early: a truncated one still bootstraps from the observation it was cut at (γ^m after m steps), a
/// terminated one does not (factor 0). A stream's next observation is the following step's observation, so it is
/// stored once; a step whose observation differs from the stream's last next observation starts the stream afresh.</para>
/// <para>Capacity counts transitions. The observation store holds a sixteenth more observations than that, plus room for
/// open windows, so episodes of 32 steps or more fill it (see the lag below); shorter episodes (one more observation per episode) make it
/// drop its oldest transitions a little earlier.</para>
/// <para>Streams interleave, so a transition's first observation may be older than that of a transition formed before
/// it; a stream that idled while others filled the store (an actor of a fleet that stalled) would otherwise form
/// transitions whose observations are evicted while older transitions are still held. So a transition whose first
/// observation lags the newest by more than <see cref="ObservationLag"/> is not kept (counted in
/// <see cref="StaleDropped"/>), and the oldest transition is dropped once its observation is within that lag of
/// eviction: every transition held is then readable.</para>
/// <para>Inserting and sampling allocate nothing once every stream has been seen.</para>
/// </remarks>
/// <typeparam name="TObservation">Observation element type.</typeparam>
/// <typeparam name="TAction">Action element type.</typeparam>
public sealed class ReplayBuffer<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    // Open n-step windows of all streams, and observations a little older than the oldest transition.
    private const int ObservationSlack = 1024;

    private readonly ObservationStore<TObservation> _store;
    private readonly long[] _observationIds;
    private readonly long[] _nextObservationIds;
    private readonly TAction[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _discounts;
    private readonly double[] _gammaPowers;
    private readonly SumTree? _priorities;
    private readonly List<StreamWindow> _streams = [];
    private long _head;
    private long _tail;

    /// <summary>Creates an empty buffer for observations of <paramref name="observationSize"/> and actions of <paramref name="actionSize"/> elements.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ReplayBuffer(ReplayOptions options, int observationSize, int actionSize)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        Options = options;
        ActionSize = actionSize;
        var capacity = options.Capacity;
        var observations = checked(capacity + (capacity / 16) + ObservationSlack);
        // A stream of stacks writes one frame per observation (a reset's repeated frame once), so frames need little slack.
        var frames = options.FramesPerObservation == 1 ? observations : checked(observations + (observations / 32));
        _store = new ObservationStore<TObservation>(observationSize, options.FramesPerObservation, observations, frames, options.FrameStack);
        _observationIds = new long[capacity];
        _nextObservationIds = new long[capacity];
        _actions = new TAction[checked(capacity * actionSize)];
        _rewards = new float[capacity];
        _discounts = new float[capacity];
        _gammaPowers = new double[options.NSteps + 1];
        for (var k = 0; k <= options.NSteps; k++)
        {
            _gammaPowers[k] = Math.Pow(options.Gamma, k);
        }

        _priorities = options.Prioritized is null ? null : new SumTree(capacity);
        // Half the store's room beyond capacity: the lag that interleaved streams may have (streams × n steps) and
        // still leave the oldest transitions their full capacity.
        ObservationLag = (ObservationSlack / 2) + (capacity / 32);
    }

    /// <summary>How far (in observations stored) a transition's first observation may lag the newest one and still be kept.</summary>
    public long ObservationLag { get; }

    /// <summary>Transitions not kept since the buffer was created or loaded because their stream idled past <see cref="ObservationLag"/>.</summary>
    public long StaleDropped { get; private set; }

    /// <summary>The settings it was built with.</summary>
    public ReplayOptions Options { get; }

    /// <summary>Elements of one observation.</summary>
    public int ObservationSize => _store.ObservationSize;

    /// <summary>Elements of one action.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions it can hold.</summary>
    public int Capacity => Options.Capacity;

    /// <summary>Transitions it holds.</summary>
    public int Count => (int)(_head - _tail);

    /// <summary>The id of the oldest transition held; ids run from it to <see cref="Inserted"/> − 1.</summary>
    public long OldestId => _tail;

    /// <summary>Transitions formed since it was created (including those dropped since).</summary>
    public long Inserted => _head;

    /// <summary>Steps added since it was created.</summary>
    public long StepsAdded { get; private set; }

    /// <summary>The largest priority seen so far (before α), which new transitions get; 1 under uniform sampling.</summary>
    public double MaxPriority { get; private set; } = 1.0;

    /// <summary>Bytes of its fixed storage: observations (frames once each), actions, returns, factors and ids.</summary>
    public long Bytes =>
        _store.Bytes
        + (((long)_observationIds.Length + _nextObservationIds.Length) * sizeof(long))
        + ((long)_actions.Length * System.Runtime.InteropServices.Marshal.SizeOf<TAction>())
        + (((long)_rewards.Length + _discounts.Length) * sizeof(float))
        + (_priorities is null ? 0 : 2L * (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Capacity) * sizeof(double));

    /// <summary>Adds one step of <paramref name="stream"/> (one env of one actor), gym style.</summary>
    /// <param name="stream">The env stream, from 0; steps of one stream arrive in order.</param>
    /// <param name="observation">The observation the action was chosen from.</param>
    /// <param name="action">The action taken.</param>
    /// <param name="reward">The reward received.</param>
    /// <param name="terminated">The episode ended in a terminal state (no bootstrap).</param>
    /// <param name="truncated">The episode was cut (bootstraps from <paramref name="nextObservation"/>).</param>
    /// <param name="nextObservation">The observation after the step: the final one when the episode ended; not read when it terminated.</param>
    /// <exception cref="ArgumentException">A span has the wrong size.</exception>
    public void Add(int stream, ReadOnlySpan<TObservation> observation, ReadOnlySpan<TAction> action, float reward, bool terminated, bool truncated, ReadOnlySpan<TObservation> nextObservation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        if (action.Length != ActionSize)
        {
            throw new ArgumentException($"An action here has {ActionSize} elements; got {action.Length}.", nameof(action));
        }

        var window = StreamAt(stream);
        if (!_store.Matches(window.Current, observation))
        {
            // A new episode, or a stream that restarted: its open windows belong to experience that stopped.
            window.Clear();
            window.Current = _store.Append(observation, window.Current);
        }

        window.Push(window.Current, action, reward);
        var next = terminated ? window.Current : _store.Append(nextObservation, window.Current);
        if (terminated || truncated)
        {
            while (window.Count > 0)
            {
                Emit(window, next, terminated);
            }

            window.Current = -1;
        }
        else
        {
            if (window.Count == Options.NSteps)
            {
                Emit(window, next, terminated: false);
            }

            window.Current = next;
        }

        StepsAdded++;
        DropUnreadable();
    }

    /// <summary>Adds every step of <paramref name="segment"/>, its env i as stream <paramref name="firstStream"/> + i.</summary>
    /// <exception cref="ArgumentException">The segment's sizes are not the buffer's.</exception>
    public void AddSegment(Segment<TObservation, TAction> segment, int firstStream)
    {
        ArgumentNullException.ThrowIfNull(segment);
        for (var t = 0; t < segment.Layout.Steps; t++)
        {
            AddSegmentStep(segment, t, firstStream);
        }
    }

    /// <summary>Adds step <paramref name="step"/> of every env of <paramref name="segment"/>, its env i as stream <paramref name="firstStream"/> + i.</summary>
    /// <exception cref="ArgumentException">The segment's sizes are not the buffer's.</exception>
    public void AddSegmentStep(Segment<TObservation, TAction> segment, int step, int firstStream)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var layout = segment.Layout;
        if (layout.ObservationSize != ObservationSize || layout.ActionSize != ActionSize)
        {
            throw new ArgumentException(
                $"This buffer holds observations of {ObservationSize} and actions of {ActionSize} elements; the segment has {layout.ObservationSize} and {layout.ActionSize}.", nameof(segment));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, layout.Steps);
        var envs = layout.Envs;
        var size = layout.ObservationSize;
        for (var i = 0; i < envs; i++)
        {
            var k = (step * envs) + i;
            var terminated = segment.Terminated[k];
            var truncated = segment.Truncated[k];
            ReadOnlySpan<TObservation> next = truncated
                ? segment.FinalObservations.Slice(k * size, size)
                : step + 1 < layout.Steps ? segment.ObservationAt(step + 1, i) : segment.BootstrapObservations.Slice(i * size, size);
            Add(firstStream + i, segment.ObservationAt(step, i), segment.Actions.Slice(k * ActionSize, ActionSize), segment.Rewards[k], terminated, truncated, next);
        }
    }

    /// <summary>Draws <paramref name="batch"/>.Size transitions with replacement: uniformly, or by priority with importance weights for exponent <paramref name="beta"/>.</summary>
    /// <param name="batch">Receives the transitions.</param>
    /// <param name="random">The draws' source.</param>
    /// <param name="beta">Prioritized sampling's importance exponent (see <see cref="PrioritizedReplayOptions.BetaAt"/>); ignored by uniform sampling.</param>
    /// <exception cref="InvalidOperationException">The buffer is empty.</exception>
    /// <exception cref="ArgumentException">The batch's sizes are not the buffer's.</exception>
    public void Sample(ReplayBatch<TObservation, TAction> batch, Random random, double beta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(random);
        if (Count == 0)
        {
            throw new InvalidOperationException("Cannot sample from an empty replay buffer.");
        }

        if (batch.Observations.Length != batch.Size * ObservationSize || batch.Actions.Length != batch.Size * ActionSize)
        {
            throw new ArgumentException($"The batch holds other sizes than this buffer's observations of {ObservationSize} and actions of {ActionSize} elements.", nameof(batch));
        }

        if (_priorities is null)
        {
            for (var k = 0; k < batch.Size; k++)
            {
                batch.Ids[k] = _tail + random.NextInt64(Count);
                batch.Weights[k] = 1f;
            }
        }
        else
        {
            SamplePrioritized(batch, random, beta);
        }

        for (var k = 0; k < batch.Size; k++)
        {
            Copy(batch.Ids[k], batch, k);
        }
    }

    /// <summary>Copies transition <paramref name="id"/> into row <paramref name="row"/> of <paramref name="batch"/> (weight 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The buffer does not hold that transition.</exception>
    public void Read(long id, ReplayBatch<TObservation, TAction> batch, int row)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (id < _tail || id >= _head)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"The buffer holds transitions {_tail} to {_head - 1}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, batch.Size);
        batch.Ids[row] = id;
        batch.Weights[row] = 1f;
        Copy(id, batch, row);
    }

    private void Copy(long id, ReplayBatch<TObservation, TAction> batch, int k)
    {
        var slot = Slot(id);
        _store.Read(_observationIds[slot], batch.Observations.AsSpan(k * ObservationSize, ObservationSize));
        _store.Read(_nextObservationIds[slot], batch.NextObservations.AsSpan(k * ObservationSize, ObservationSize));
        _actions.AsSpan(slot * ActionSize, ActionSize).CopyTo(batch.Actions.AsSpan(k * ActionSize, ActionSize));
        batch.Rewards[k] = _rewards[slot];
        batch.Discounts[k] = _discounts[slot];
    }

    /// <summary>Sets the priorities of sampled transitions from their TD errors: p = |δ| + ε; transitions dropped since they were sampled are skipped.</summary>
    /// <exception cref="InvalidOperationException">The buffer samples uniformly.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void UpdatePriorities(ReadOnlySpan<long> ids, ReadOnlySpan<float> tdErrors)
    {
        var options = Options.Prioritized ?? throw new InvalidOperationException("This replay buffer samples uniformly; it has no priorities to update.");
        if (ids.Length != tdErrors.Length)
        {
            throw new ArgumentException($"Got {ids.Length} ids but {tdErrors.Length} TD errors.", nameof(tdErrors));
        }

        for (var k = 0; k < ids.Length; k++)
        {
            if (ids[k] < _tail || ids[k] >= _head)
            {
                continue;
            }

            var priority = Math.Abs((double)tdErrors[k]) + options.Epsilon;
            MaxPriority = Math.Max(MaxPriority, priority);
            _priorities!.Set(Slot(ids[k]), Math.Pow(priority, options.Alpha));
        }
    }

    /// <summary>The probability that one draw picks transition <paramref name="id"/> (1 / <see cref="Count"/> under uniform sampling).</summary>
    public double Probability(long id)
    {
        if (id < _tail || id >= _head)
        {
            return 0;
        }

        return _priorities is null ? 1.0 / Count : _priorities[Slot(id)] / _priorities.Total;
    }

    /// <summary>Writes the buffer (transitions, observations, priorities and open n-step windows) to <paramref name="stream"/>, so a resumed run starts from it instead of an empty one.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(ReplayFile.Magic);
        writer.Write(Layout);
        writer.Write(_head);
        writer.Write(_tail);
        writer.Write(StepsAdded);
        writer.Write(MaxPriority);
        writer.Write(MemoryMarshal.AsBytes(_observationIds.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_nextObservationIds.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_actions.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_rewards.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_discounts.AsSpan()));
        for (var slot = 0; _priorities is not null && slot < Capacity; slot++)
        {
            writer.Write(_priorities[slot]);
        }

        _store.Write(writer);
        writer.Write(_streams.Count);
        foreach (var window in _streams)
        {
            window.Write(writer);
        }
    }

    /// <summary>Replaces the contents with a buffer <see cref="Save"/> wrote from one of the same capacity, sizes, n and sampling.</summary>
    /// <exception cref="InvalidDataException">The data is not a replay buffer of this layout, or is truncated.</exception>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != ReplayFile.Magic)
            {
                throw new InvalidDataException("it is not a Tempo replay buffer.");
            }

            var layout = reader.ReadString();
            if (layout != Layout)
            {
                throw new InvalidDataException($"it holds a buffer of {layout}; this run's is {Layout}.");
            }

            _head = reader.ReadInt64();
            _tail = reader.ReadInt64();
            StepsAdded = reader.ReadInt64();
            MaxPriority = reader.ReadDouble();
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_observationIds.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_nextObservationIds.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_actions.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_rewards.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_discounts.AsSpan()));
            for (var slot = 0; _priorities is not null && slot < Capacity; slot++)
            {
                _priorities.Set(slot, reader.ReadDouble());
            }

            _store.Read(reader);
            _streams.Clear();
            var streams = reader.ReadInt32();
            for (var s = 0; s < streams; s++)
            {
                StreamAt(s).Read(reader);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the replay buffer data is truncated.");
        }
    }

    /// <summary>What a saved buffer must match to load: sizes, n-step, sampling, element types.</summary>
    private string Layout =>
        $"{Capacity} transitions, observations of {ObservationSize} {typeof(TObservation).Name} in {Options.FramesPerObservation} frames{(Options.FrameStack is { } stack ? $" at {stack}" : string.Empty)}, actions of {ActionSize} {typeof(TAction).Name}, "
        + $"{Options.NSteps}-step, {(_priorities is null ? "uniform" : "prioritized")}";

    private void SamplePrioritized(ReplayBatch<TObservation, TAction> batch, Random random, double beta)
    {
        // Stratified as rainbow_atari.py: one draw from each of batch-size equal slices of the total priority.
        var tree = _priorities!;
        var total = tree.Total;
        var slice = total / batch.Size;
        var maxWeight = 0.0;
        for (var k = 0; k < batch.Size; k++)
        {
            var slot = tree.Find((k + random.NextDouble()) * slice);
            var id = _tail + ((slot - Slot(_tail) + Capacity) % Capacity);
            batch.Ids[k] = id;
            var weight = Math.Pow(Count * tree[slot] / total, -beta);
            batch.Weights[k] = (float)weight;
            maxWeight = Math.Max(maxWeight, weight);
        }

        for (var k = 0; k < batch.Size; k++)
        {
            batch.Weights[k] = (float)(batch.Weights[k] / maxWeight);
        }
    }

    private void Emit(StreamWindow window, long next, bool terminated)
    {
        var steps = window.Count;
        var first = window.OldestObservation;
        var ret = 0.0;
        for (var k = 0; k < steps; k++)
        {
            ret += _gammaPowers[k] * window.RewardAt(k);
        }

        if (first < _store.Appended - ObservationLag)
        {
            StaleDropped++;
        }
        else if (_store.IsValid(first))
        {
            if (Count == Capacity)
            {
                DropOldest();
            }

            var slot = Slot(_head);
            _observationIds[slot] = first;
            _nextObservationIds[slot] = next;
            window.OldestAction.CopyTo(_actions.AsSpan(slot * ActionSize, ActionSize));
            _rewards[slot] = (float)ret;
            _discounts[slot] = terminated ? 0f : (float)_gammaPowers[steps];
            _priorities?.Set(slot, Math.Pow(MaxPriority, Options.Prioritized!.Alpha));
            _head++;
        }

        window.Pop();
    }

    private void DropUnreadable()
    {
        // Nothing is unreadable before the store first evicts (ids start at 0, below any lag).
        while (Count > 0 && _store.OldestValid > 0 && _observationIds[Slot(_tail)] - ObservationLag < _store.OldestValid)
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        _priorities?.Set(Slot(_tail), 0);
        _tail++;
    }

    private int Slot(long id) => (int)(id % Capacity);

    private StreamWindow StreamAt(int stream)
    {
        while (_streams.Count <= stream)
        {
            _streams.Add(new StreamWindow(Options.NSteps, ActionSize));
        }

        return _streams[stream];
    }

    /// <summary>One stream's open n-step window: the last n steps whose transitions are not formed yet.</summary>
    private sealed class StreamWindow(int steps, int actionSize)
    {
        private readonly long[] _observations = new long[steps];
        private readonly TAction[] _actions = new TAction[steps * actionSize];
        private readonly float[] _rewards = new float[steps];
        private int _start;

        public long Current { get; set; } = -1;

        public int Count { get; private set; }

        public long OldestObservation => _observations[_start];

        public ReadOnlySpan<TAction> OldestAction => _actions.AsSpan(_start * actionSize, actionSize);

        public float RewardAt(int k) => _rewards[(_start + k) % steps];

        public void Push(long observation, ReadOnlySpan<TAction> action, float reward)
        {
            var index = (_start + Count) % steps;
            _observations[index] = observation;
            action.CopyTo(_actions.AsSpan(index * actionSize, actionSize));
            _rewards[index] = reward;
            Count++;
        }

        public void Pop()
        {
            _start = (_start + 1) % steps;
            Count--;
        }

        public void Clear()
        {
            _start = 0;
            Count = 0;
        }

        public void Write(BinaryWriter writer)
        {
            writer.Write(Current);
            writer.Write(Count);
            writer.Write(_start);
            writer.Write(MemoryMarshal.AsBytes(_observations.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(_actions.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(_rewards.AsSpan()));
        }

        public void Read(BinaryReader reader)
        {
            Current = reader.ReadInt64();
            Count = reader.ReadInt32();
            _start = reader.ReadInt32();
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_observations.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_actions.AsSpan()));
            ReplayFile.ReadExactly(reader, MemoryMarshal.AsBytes(_rewards.AsSpan()));
        }
    }
}

namespace Tempo.Algorithms.Learners;

/// <summary>
/// What one learner update measured: an open set of named scalars, plus what every learner has (the policy version
/// after the update, the gradient steps it took, the policy lag of the segments it was given).
/// </summary>
/// <remarks>
/// <para>A learner owns one instance whose names are fixed when it is created and overwrites the values on every
/// update, so reporting statistics allocates nothing. The values hold until the learner's next update; whoever keeps
/// them longer takes a <see cref="Copy"/>.</para>
/// <para>Names are the learner's own, usually TensorBoard tags as CleanRL logs them (<c>losses/value_loss</c>,
/// <c>charts/learning_rate</c>); metrics sinks show each under its name, so a new algorithm brings its own figures
/// without changes to the runtime. A value the update did not measure (a loss when it took no gradient step) is NaN.</para>
/// </remarks>
public sealed class LearnerStatistics
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _indices;
    private readonly double[] _values;

    /// <summary>Creates statistics with the given names, every value NaN.</summary>
    /// <param name="names">Distinct, non-empty names without commas, quotes, white space or control characters (they become CSV columns and TensorBoard tags).</param>
    /// <exception cref="ArgumentException">A name is empty, repeated, or holds a character a CSV header or tag cannot carry.</exception>
    public LearnerStatistics(params IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names];
        _indices = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
        {
            var name = _names[i];
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"Statistic name {i} is empty.", nameof(names));
            }

            if (name.AsSpan().IndexOfAny(",\"") >= 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new ArgumentException($"Statistic name '{name}' holds a comma, quote, white space or control character; names become CSV columns and TensorBoard tags.", nameof(names));
            }

            if (!_indices.TryAdd(name, i))
            {
                throw new ArgumentException($"Statistic name '{name}' appears twice; each statistic needs its own name.", nameof(names));
            }
        }

        _values = new double[_names.Length];
        _values.AsSpan().Fill(double.NaN);
    }

    private LearnerStatistics(LearnerStatistics source)
    {
        _names = source._names;
        _indices = source._indices;
        _values = [.. source._values];
        PolicyVersion = source.PolicyVersion;
        GradientSteps = source.GradientSteps;
        PolicyLag = source.PolicyLag;
    }

    /// <summary>The names, in the order the learner declared them.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The values, in <see cref="Names"/> order.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The policy version after the update.</summary>
    public long PolicyVersion { get; set; }

    /// <summary>Gradient steps the update took: several for PPO's epochs of minibatches, one for IMPALA, and possibly none for a learner that trains from a replay buffer at its own pace.</summary>
    public int GradientSteps
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(GradientSteps));
            field = value;
        }
    }

    /// <summary>How stale the segments given to the update were; null where the learner does not measure it.</summary>
    public PolicyLag? PolicyLag { get; set; }

    /// <summary>The value at <paramref name="index"/> in <see cref="Names"/> order; set by the learner that owns the instance.</summary>
    public double this[int index]
    {
        get => _values[index];
        set => _values[index] = value;
    }

    /// <summary>The value named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No statistic has that name.</exception>
    public double this[string name] => TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"No learner statistic is named '{name}'; the names are {string.Join(", ", _names)}.");

    /// <summary>Finds the value named <paramref name="name"/>, if there is one.</summary>
    public bool TryGetValue(string name, out double value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_indices.TryGetValue(name, out var index))
        {
            value = _values[index];
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <summary>A copy of the current values (under the same names) that later updates do not change.</summary>
    public LearnerStatistics Copy() => new(this);

    /// <summary>Overwrites <paramref name="target"/>, a <see cref="Copy"/> of statistics with the same names, with the current values, allocating nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> has other names.</exception>
    public void CopyTo(LearnerStatistics target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!ReferenceEquals(target._names, _names) && !target._names.AsSpan().SequenceEqual(_names))
        {
            throw new ArgumentException(
                $"Cannot copy learner statistics named {string.Join(", ", _names)} into statistics named {string.Join(", ", target._names)}; the names must match.", nameof(target));
        }

        _values.CopyTo(target._values, 0);
        target.PolicyVersion = PolicyVersion;
        target.GradientSteps = GradientSteps;
        target.PolicyLag = PolicyLag;
    }
}

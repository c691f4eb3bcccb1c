using System.Globalization;
using System.Numerics;

namespace Tempo.Core.Spaces;

/// <summary>A box in R^n (or in byte^n for images) with per-dimension bounds; any shape.</summary>
/// <typeparam name="T"><see cref="float"/> for vectors, <see cref="byte"/> for image frames.</typeparam>
/// <remarks>
/// Sampling follows Gymnasium: uniform on bounded dimensions, normal where both bounds are infinite,
/// shifted exponential where one bound is infinite; integer boxes sample uniformly in [low, high].
/// </remarks>
public sealed class BoxSpace<T> : Space<T>
    where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly T[] _low;
    private readonly T[] _high;

    /// <summary>Creates a box whose every element lies in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public BoxSpace(T low, T high, params int[] shape)
        : base(shape)
    {
        _low = new T[FlatSize];
        _high = new T[FlatSize];
        Array.Fill(_low, low);
        Array.Fill(_high, high);
        Validate();
    }

    /// <summary>Creates a box with per-dimension bounds; both spans have the shape's flat size.</summary>
    public BoxSpace(ReadOnlySpan<T> low, ReadOnlySpan<T> high, ReadOnlySpan<int> shape)
        : base(shape)
    {
        RequireLength(low.Length, nameof(low));
        RequireLength(high.Length, nameof(high));
        _low = low.ToArray();
        _high = high.ToArray();
        Validate();
    }

    /// <summary>Creates a one-dimensional box with per-dimension bounds.</summary>
    public BoxSpace(ReadOnlySpan<T> low, ReadOnlySpan<T> high)
        : this(low, high, [low.Length])
    {
    }

    /// <summary>Lower bounds, one per element.</summary>
    public ReadOnlySpan<T> Low => _low;

    /// <summary>Upper bounds, one per element.</summary>
    public ReadOnlySpan<T> High => _high;

    /// <summary>Whether every dimension has finite bounds on both sides.</summary>
    public bool IsBounded
    {
        get
        {
            for (var i = 0; i < _low.Length; i++)
            {
                if (!T.IsFinite(_low[i]) || !T.IsFinite(_high[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<T> value)
    {
        if (value.Length != FlatSize)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            // Written so that NaN fails both comparisons and is rejected.
            if (!(value[i] >= _low[i] && value[i] <= _high[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Clamps every element of <paramref name="value"/> into the box, in place.</summary>
    public void Clip(Span<T> value)
    {
        RequireLength(value.Length, nameof(value));
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = T.Clamp(value[i], _low[i], _high[i]);
        }
    }

    /// <inheritdoc/>
    public override void Sample(Random random, Span<T> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireLength(destination.Length, nameof(destination));
        var isInteger = typeof(T) == typeof(byte) || typeof(T) == typeof(int);
        for (var i = 0; i < destination.Length; i++)
        {
            var low = double.CreateTruncating(_low[i]);
            var high = double.CreateTruncating(_high[i]);
            double x;
            if (isInteger)
            {
                x = random.NextInt64((long)low, (long)high + 1);
            }
            else if (double.IsFinite(low) && double.IsFinite(high))
            {
                x = low + ((high - low) * random.NextDouble());
            }
            else if (double.IsFinite(low))
            {
                x = low + Exponential(random);
            }
            else if (double.IsFinite(high))
            {
                x = high - Exponential(random);
            }
            else
            {
                x = Normal(random);
            }

            destination[i] = T.CreateSaturating(x);
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var type = typeof(T) == typeof(byte) ? "uint8" : typeof(T) == typeof(float) ? "float32" : typeof(T).Name;
        return $"Box({FormatBound(_low)}, {FormatBound(_high)}, {FormatShape()}, {type})";
    }

    private static string FormatBound(T[] bound)
    {
        var first = bound[0];
        foreach (var x in bound)
        {
            if (x != first)
            {
                return "[" + string.Join(" ", bound.Select(Format)) + "]";
            }
        }

        return Format(first);
    }

    private static string Format(T x)
    {
        var d = double.CreateTruncating(x);
        return double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("G6", CultureInfo.InvariantCulture);
    }

    private void Validate()
    {
        for (var i = 0; i < _low.Length; i++)
        {
            if (T.IsNaN(_low[i]) || T.IsNaN(_high[i]) || _low[i] > _high[i])
            {
                throw new ArgumentException($"Box bounds must satisfy low <= high; element {i} has low={_low[i]}, high={_high[i]}.");
            }
        }
    }

    private static double Exponential(Random random) => -Math.Log(1.0 - random.NextDouble());

    private static double Normal(Random random)
    {
        // Box–Muller; Random (not RandomSource) is accepted so any source can drive sampling.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

namespace Tempo.Tests.Shared;

/// <summary>
/// One float32 result as a running error analysis sees it: <see cref="Value"/>, exact (in double), and a bound
/// <see cref="Error"/> on how far the float32 result of the same operations, in the same order, can be from it. Each
/// operation carries its inputs' bounds through (first order plus the explicit second-order terms, so the bound is
/// rigorous) and adds its own rounding: u relative for +, −, ×, ÷ (u = 2^-24, even for an exact one such as 2·x, which
/// only loosens the bound); 2u for exp and log (PyTorch's Sleef u10 functions and .NET's MathF are within 1 ulp);
/// <see cref="Float32Bounds.TanhRelativeAccuracy"/>·u for tanh.
/// </summary>
/// <remarks>
/// Inputs' errors are taken as independent, the safe side: where one float value is used twice (x − x̂ cancelling a
/// computed value exactly), a caller that wants the tighter bound writes that step out by hand.
/// </remarks>
internal readonly record struct BoundedScalar(double Value, double Error)
{
    private const double U = Float32Bounds.Unit;

    /// <summary>|Value| + Error: a bound on the magnitude of the float32 result.</summary>
    public double Magnitude => Math.Abs(Value) + Error;

    /// <summary>A float32 value known exactly (an input, or a constant both sides hold as the same float).</summary>
    public static BoundedScalar Exact(double value) => new(value, 0);

    /// <summary>A constant computed in float32 from its exact value with a relative error of at most <paramref name="units"/>·u.</summary>
    public static BoundedScalar Constant(double exact, double units) => new(exact, units * U * Math.Abs(exact));

    public static BoundedScalar operator +(BoundedScalar a, BoundedScalar b) => Rounded(a.Value + b.Value, a.Error + b.Error, 1);

    public static BoundedScalar operator -(BoundedScalar a, BoundedScalar b) => Rounded(a.Value - b.Value, a.Error + b.Error, 1);

    /// <summary>Negation is exact.</summary>
    public static BoundedScalar operator -(BoundedScalar a) => new(-a.Value, a.Error);

    public static BoundedScalar operator *(BoundedScalar a, BoundedScalar b) =>
        Rounded(a.Value * b.Value, (Math.Abs(a.Value) * b.Error) + (Math.Abs(b.Value) * a.Error) + (a.Error * b.Error), 1);

    /// <summary>|â/b̂ − a/b| ≤ (E_a + |a/b|·E_b)/(|b| − E_b); the divisor's bound must exclude zero.</summary>
    public static BoundedScalar operator /(BoundedScalar a, BoundedScalar b)
    {
        var room = Math.Abs(b.Value) - b.Error;
        if (room <= 0)
        {
            throw new InvalidOperationException($"A divisor within its error bound of zero ({b.Value:R} ± {b.Error:G3}) has no bound on its quotient.");
        }

        var quotient = a.Value / b.Value;
        return Rounded(quotient, (a.Error + (Math.Abs(quotient) * b.Error)) / room, 1);
    }

    /// <summary>|e^x̂ − e^x| ≤ e^x(e^E − 1) ≤ e^x·E·e^E, then the function's 2u.</summary>
    public static BoundedScalar Exp(BoundedScalar x)
    {
        var value = Math.Exp(x.Value);
        return Rounded(value, value * x.Error * Math.Exp(x.Error), 2);
    }

    /// <summary>|log x̂ − log x| ≤ −log(1 − E/x) for x &gt; E, then the function's 2u.</summary>
    public static BoundedScalar Log(BoundedScalar x)
    {
        if (x.Value <= x.Error)
        {
            throw new InvalidOperationException($"A log argument within its error bound of zero ({x.Value:R} ± {x.Error:G3}) has no bound.");
        }

        return Rounded(Math.Log(x.Value), -Math.Log(1 - (x.Error / x.Value)), 2);
    }

    /// <summary>tanh is 1-Lipschitz; each side's tanh is within <see cref="Float32Bounds.TanhRelativeAccuracy"/>·u of exact.</summary>
    public static BoundedScalar Tanh(BoundedScalar x) => Rounded(Math.Tanh(x.Value), x.Error, Float32Bounds.TanhRelativeAccuracy);

    /// <summary>min is 1-Lipschitz in the larger of its arguments' errors, and exact.</summary>
    public static BoundedScalar Min(BoundedScalar a, BoundedScalar b) => new(Math.Min(a.Value, b.Value), Math.Max(a.Error, b.Error));

    /// <summary>A sum of n terms added in any order: Σ E_i + γ_(n−1)·Σ(|x_i| + E_i) (Higham §3.1).</summary>
    public static BoundedScalar Sum(IReadOnlyCollection<BoundedScalar> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var value = terms.Sum(t => t.Value);
        var error = terms.Sum(t => t.Error);
        var magnitude = terms.Sum(t => t.Magnitude);
        return new(value, error + (Float32Bounds.Gamma(Math.Max(terms.Count - 1, 0)) * magnitude));
    }

    /// <summary>This value rounded once more (a double result cast to float).</summary>
    public BoundedScalar Round() => Rounded(Value, Error, 1);

    /// <summary>The same exact value with a larger bound (another side's, or a branch that may go either way).</summary>
    public BoundedScalar Widened(double error) => this with { Error = Math.Max(Error, error) };

    /// <summary>An operation's exact result, its inputs' propagated error, and its own rounding of the computed result.</summary>
    private static BoundedScalar Rounded(double value, double propagated, double units) =>
        new(value, propagated + (units * U * (Math.Abs(value) + propagated)));
}

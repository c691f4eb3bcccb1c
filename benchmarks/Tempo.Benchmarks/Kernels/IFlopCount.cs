namespace Tempo.Benchmarks.Kernels;

/// <summary>A benchmark parameter that knows the floating-point work of one benchmark invocation.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations per invocation (a multiply-add counts as two).</summary>
    double Flops { get; }
}

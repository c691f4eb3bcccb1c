using System.Globalization;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels.Selection;

/// <summary>
/// The kernels this process runs: the vector path (micro-kernel) and the GEMM cache blocking, chosen once from the CPU
/// (<see cref="CpuInfo.Detect"/>) unless the <c>TEMPO_KERNELS</c> environment variable overrides them.
/// </summary>
/// <remarks>
/// <para>
/// The choice is a rule, not a probe, so start-up costs nothing measurable: the widest vector path the hardware runs
/// (AVX-512 even where it executes as two 256-bit halves, as on Zen 4: the 8×32 micro-kernel still needs fewer
/// instructions and loads per FLOP than AVX2's 6×16), and block sizes from the caches the OS (else CPUID) reports
/// (<see cref="GemmBlocking.FromCaches"/>: the analytic model of Low et al., 2016).
/// </para>
/// <para>
/// <see cref="Current"/> is the one process-wide selection; every kernel call without an explicit path and every new
/// <see cref="KernelParallelism"/> uses it. <c>TEMPO_KERNELS</c> holds comma-separated items: a path (<c>auto</c>,
/// <c>avx512</c>, <c>avx2</c>, <c>vector128</c>, <c>scalar</c>) and/or <c>blocks=MCxKCxNC</c>, e.g.
/// <c>TEMPO_KERNELS=avx2,blocks=96x256x2048</c>. Multiple threads per call are split by shape (see <see cref="KernelParallelism"/>).
/// </para>
/// </remarks>
public sealed class KernelSelection
{
    /// <summary>The environment variable that overrides the choice.</summary>
    public const string EnvironmentVariable = "TEMPO_KERNELS";

    private static KernelSelection? _current;

    private KernelSelection(CpuInfo cpu, SimdPath path, GemmBlocking blocking, string reason)
    {
        Cpu = cpu;
        Path = path;
        Blocking = blocking;
        Reason = reason;
    }

    /// <summary>The selection of this process, made on first use from the CPU and <c>TEMPO_KERNELS</c>.</summary>
    /// <exception cref="ArgumentException"><c>TEMPO_KERNELS</c> is malformed or asks for a path this CPU lacks.</exception>
    public static KernelSelection Current => _current ?? Initialize();

    /// <summary>The CPU the choice was made for.</summary>
    public CpuInfo Cpu { get; }

    /// <summary>The vector path every kernel runs with.</summary>
    public SimdPath Path { get; }

    /// <summary>The GEMM cache blocking (MC×KC×NC).</summary>
    public GemmBlocking Blocking { get; }

    /// <summary>Rows × columns of C the packed GEMM micro-kernel keeps in registers (e.g. 8×32 with AVX-512).</summary>
    public (int Rows, int Columns) MicroTile => MicroKernels.Tile(Path);

    /// <summary>Why this path and these blocks: derived from the CPU, or overridden.</summary>
    public string Reason { get; }

    /// <summary>
    /// Chooses kernels for <paramref name="cpu"/>, honouring what <paramref name="options"/> forces.
    /// </summary>
    /// <param name="cpu">The CPU to choose for.</param>
    /// <param name="options">What to force, or null to choose everything from the CPU.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentException">A forced path does not run in hardware on this machine.</exception>
    public static KernelSelection Choose(CpuInfo cpu, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        string reason;
        SimdPath path;
        if (options?.Path is { } forced)
        {
            if (!SimdSupport.IsSupported(forced))
            {
                throw new ArgumentException($"{EnvironmentVariable} asks for the {KernelOptions.Name(forced)} kernels, which this machine does not run in hardware ({cpu.Describe()}).", nameof(options));
            }

            path = forced;
            reason = "path forced by " + EnvironmentVariable;
        }
        else
        {
            path = SimdSupport.Best;
            reason = path switch
            {
                SimdPath.Vector512 when cpu.Avx512FullWidth => "AVX-512 runs full width: twice AVX2's FMA throughput",
                SimdPath.Vector512 => "AVX-512 runs as two 256-bit halves: same peak as AVX2, but fewer instructions per FLOP",
                SimdPath.Vector256 => "AVX2+FMA is the widest vector unit",
                SimdPath.Vector128 => "only 128-bit vectors",
                _ => "no hardware vectors",
            };
        }

        var blocking = options?.Blocking ?? GemmBlocking.FromCaches(cpu, path);
        blocking.Validate();
        reason += options?.Blocking is null ? "; blocks from the cache sizes" : "; blocks forced by " + EnvironmentVariable;
        return new KernelSelection(cpu, path, blocking, reason);
    }

    /// <summary>One line for logs and <c>tempo bench</c>, e.g. "AVX-512 8×32 micro-kernel, blocks MC 512 × KC 192 × NC 4096 (…)".</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var (rows, columns) = MicroTile;
        var kernel = Path == SimdPath.Scalar ? "scalar loops" : string.Create(CultureInfo.InvariantCulture, $"{KernelOptions.Name(Path)} {rows}×{columns} micro-kernel");
        return string.Create(CultureInfo.InvariantCulture, $"{kernel}, blocks MC {Blocking.RowBlock} × KC {Blocking.DepthBlock} × NC {Blocking.ColumnBlock} ({Reason})");
    }

    private static KernelSelection Initialize()
    {
        var options = KernelOptions.Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
        var selection = Choose(CpuInfo.Detect(), options);
        Interlocked.CompareExchange(ref _current, selection, null);
        return _current;
    }
}

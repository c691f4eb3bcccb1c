using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Tempo.Nn.Kernels.Selection;

/// <summary>What the kernels need to know about the CPU they run on: identity, vector support and cache sizes.</summary>
/// <param name="Vendor">The CPUID vendor string (e.g. "AuthenticAMD", "GenuineIntel"), or "unknown" off x86.</param>
/// <param name="Family">The CPUID display family (AMD Zen 4 = 25, Zen 5 = 26), or 0 off x86.</param>
/// <param name="Model">The CPUID display model, or 0 off x86.</param>
/// <param name="ModelName">The processor brand string, or the architecture name when there is none.</param>
/// <param name="Avx512">Whether AVX-512 (Vector512) runs in hardware and the runtime uses it.</param>
/// <param name="Avx512FullWidth">
/// Whether AVX-512 instructions execute on full 512-bit units (so they do twice the arithmetic of AVX2 per cycle)
/// rather than as two 256-bit halves (AMD Zen 4, and the mobile Zen 5 parts); false when there is no AVX-512.
/// </param>
/// <param name="Avx2Fma">Whether AVX2 with FMA (Vector256 with fused multiply-add) runs in hardware.</param>
/// <param name="L1DataBytes">Level-1 data cache per core, in bytes.</param>
/// <param name="L2Bytes">Level-2 cache per core, in bytes.</param>
/// <param name="L3Bytes">Level-3 cache, in bytes (0 when there is none).</param>
/// <param name="L3SharedBy">Logical processors sharing the level-3 cache.</param>
/// <param name="CachesFromOs">
/// Whether the cache sizes were read from the machine: from the operating system, or from CPUID where the OS does not
/// publish them (as in some virtual machines); false means assumed defaults.
/// </param>
public sealed record CpuInfo(
    string Vendor,
    int Family,
    int Model,
    string ModelName,
    bool Avx512,
    bool Avx512FullWidth,
    bool Avx2Fma,
    int L1DataBytes,
    int L2Bytes,
    int L3Bytes,
    int L3SharedBy,
    bool CachesFromOs)
{
    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>Reads the CPU this process runs on: CPUID for identity and features, Linux's sysfs (else CPUID) for cache sizes.</summary>
    /// <returns>The description; cache sizes fall back to 32 KiB / 1 MiB / 8 MiB (and <see cref="CachesFromOs"/> false) where neither says.</returns>
    public static CpuInfo Detect()
    {
        var (vendor, family, model, brand) = Identify();
        var avx512 = Vector512.IsHardwareAccelerated;
        var (l1, l2, l3, shared, fromOs) = ReadCaches();
        if (!fromOs && CacheLeaves(vendor) is { } cpuid)
        {
            (l1, l2, l3, shared, fromOs) = (cpuid.L1, cpuid.L2, cpuid.L3, cpuid.L3SharedBy, true);
        }

        return new CpuInfo(
            vendor,
            family,
            model,
            brand,
            avx512,
            avx512 && IsAvx512FullWidth(vendor, family, model),
            Vector256.IsHardwareAccelerated && Fma.IsSupported,
            l1,
            l2,
            l3,
            shared,
            fromOs);
    }

    /// <summary>
    /// Whether a CPU with AVX-512 executes it full width. AMD family 25 (Zen 4) and the mobile family-26 parts
    /// (Strix Point 0x20–0x2F, Krackan 0x60–0x6F) split each 512-bit operation into two 256-bit halves; server and
    /// desktop Zen 5 and Intel's AVX-512 cores run it on 512-bit units (assumed for unknown vendors too).
    /// </summary>
    /// <param name="vendor">The CPUID vendor string.</param>
    /// <param name="family">The display family.</param>
    /// <param name="model">The display model.</param>
    /// <returns>True for full-width execution.</returns>
    public static bool IsAvx512FullWidth(string vendor, int family, int model) =>
        vendor != "AuthenticAMD" || family switch
        {
            25 => false,
            26 => model is not (>= 0x20 and <= 0x2F) and not (>= 0x60 and <= 0x6F),
            _ => true,
        };

    /// <summary>One line, e.g. "AMD EPYC (AuthenticAMD family 26 model 2), AVX-512 full width, L1d 48 KiB, L2 1024 KiB, L3 32768 KiB".</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var vector = Avx512 ? (Avx512FullWidth ? "AVX-512 full width" : "AVX-512 as 2×256-bit") : Avx2Fma ? "AVX2+FMA" : "no AVX2";
        var caches = string.Create(CultureInfo.InvariantCulture, $"L1d {L1DataBytes / 1024} KiB, L2 {L2Bytes / 1024} KiB, L3 {L3Bytes / 1024} KiB{(CachesFromOs ? string.Empty : " (assumed)")}");
        return string.Create(CultureInfo.InvariantCulture, $"{ModelName} ({Vendor} family {Family} model {Model}), {vector}, {caches}");
    }

    private static (string Vendor, int Family, int Model, string Brand) Identify()
    {
        if (!X86Base.IsSupported)
        {
            return ("unknown", 0, 0, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var vendor = Ascii(ebx, edx, ecx);
        var (signature, _, _, _) = X86Base.CpuId(1, 0);
        var baseFamily = (signature >> 8) & 0xF;
        var family = baseFamily == 0xF ? baseFamily + ((signature >> 20) & 0xFF) : baseFamily;
        var model = (signature >> 4) & 0xF;
        if (baseFamily is 0x6 or 0xF)
        {
            model |= ((signature >> 16) & 0xF) << 4;
        }

        var brand = new StringBuilder();
        var (highest, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        if ((uint)highest >= 0x80000004)
        {
            for (var leaf = 0x80000002u; leaf <= 0x80000004u; leaf++)
            {
                var (a, b, c, d) = X86Base.CpuId(unchecked((int)leaf), 0);
                brand.Append(Ascii(a, b, c, d));
            }
        }

        var name = brand.ToString().Replace("\0", string.Empty, StringComparison.Ordinal).Trim();
        return (vendor, family, model, name.Length == 0 ? vendor : name);
    }

    private static string Ascii(params int[] registers)
    {
        var bytes = new byte[registers.Length * 4];
        for (var i = 0; i < registers.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), registers[i]);
        }

        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Cache sizes of cpu0 from sysfs (index*/level, type, size, shared_cpu_list), with defaults for what is missing.</summary>
    private static (int L1, int L2, int L3, int L3SharedBy, bool FromOs) ReadCaches()
    {
        int l1 = 0, l2 = 0, l3 = 0, shared = 1;
        if (Directory.Exists(CacheDirectory))
        {
            foreach (var index in Directory.EnumerateDirectories(CacheDirectory, "index*"))
            {
                var level = ReadText(index, "level");
                var type = ReadText(index, "type");
                var size = ParseSize(ReadText(index, "size"));
                if (size <= 0 || type == "Instruction")
                {
                    continue;
                }

                switch (level)
                {
                    case "1": l1 = size; break;
                    case "2": l2 = size; break;
                    case "3":
                        l3 = size;
                        shared = Math.Max(1, CountCpus(ReadText(index, "shared_cpu_list")));
                        break;
                }
            }
        }

        var fromOs = l1 > 0 && l2 > 0;
        return (l1 > 0 ? l1 : 32 * 1024, l2 > 0 ? l2 : 1024 * 1024, l3 > 0 || fromOs ? l3 : 8 * 1024 * 1024, shared, fromOs);
    }

    /// <summary>
    /// Cache sizes from CPUID, for machines whose OS does not publish them (a Firecracker VM has no sysfs cache
    /// directory, so a Zen 5 guest was blocked for an assumed 32 KiB L1): the deterministic cache parameters (leaf 4 on
    /// Intel, 0x8000001D on AMD with topology extensions), else AMD's 0x80000005/0x80000006, which do not say how many
    /// processors share L3 (then taken as all of this process's). Null off x86 or when CPUID reports no L1 and L2.
    /// </summary>
    private static (int L1, int L2, int L3, int L3SharedBy)? CacheLeaves(string vendor)
    {
        if (!X86Base.IsSupported)
        {
            return null;
        }

        var (highestBasic, _, _, _) = X86Base.CpuId(0, 0);
        var (highestExtended, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        var topologyExtensions = (uint)highestExtended >= 0x8000001D && (X86Base.CpuId(unchecked((int)0x80000001), 0).Ecx & (1 << 22)) != 0;
        var leaf = vendor == "GenuineIntel" && highestBasic >= 4 ? 4 : vendor == "AuthenticAMD" && topologyExtensions ? unchecked((int)0x8000001D) : 0;
        int l1 = 0, l2 = 0, l3 = 0, shared = Environment.ProcessorCount;
        if (leaf != 0)
        {
            for (var index = 0; index < 16; index++)
            {
                var (eax, ebx, ecx, _) = X86Base.CpuId(leaf, index);
                var type = eax & 0x1F;
                if (type == 0)
                {
                    break;
                }

                // Ways × partitions × line size × sets; type 2 is an instruction cache.
                var size = (int)Math.Min(int.MaxValue, (((ebx >> 22) & 0x3FF) + 1L) * (((ebx >> 12) & 0x3FF) + 1) * ((ebx & 0xFFF) + 1) * ((uint)ecx + 1L));
                switch ((eax >> 5) & 0x7)
                {
                    case 1 when type != 2: l1 = size; break;
                    case 2: l2 = size; break;
                    case 3:
                        l3 = size;
                        shared = ((eax >> 14) & 0xFFF) + 1;
                        break;
                }
            }
        }
        else if (vendor == "AuthenticAMD" && (uint)highestExtended >= 0x80000006)
        {
            l1 = ((X86Base.CpuId(unchecked((int)0x80000005), 0).Ecx >> 24) & 0xFF) * 1024;
            var (_, _, l2Register, l3Register) = X86Base.CpuId(unchecked((int)0x80000006), 0);
            l2 = ((l2Register >> 16) & 0xFFFF) * 1024;
            l3 = (int)Math.Min(int.MaxValue, ((l3Register >> 18) & 0x3FFF) * 512L * 1024);
        }

        return l1 > 0 && l2 > 0 ? (l1, l2, l3, Math.Max(1, shared)) : null;
    }

    private static string ReadText(string directory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, file)).Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>"48K" → 49152, "32M" → 33554432; 0 for anything else.</summary>
    internal static int ParseSize(string text)
    {
        if (text.Length < 2)
        {
            return 0;
        }

        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1024,
            'M' => 1024 * 1024,
            _ => 0,
        };
        return multiplier != 0 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value * multiplier
            : 0;
    }

    /// <summary>"0-1" → 2, "0,2,4-7" → 6.</summary>
    internal static int CountCpus(string list)
    {
        var count = 0;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            count += dash < 0
                ? 1
                : int.Parse(part.AsSpan(dash + 1), CultureInfo.InvariantCulture) - int.Parse(part.AsSpan(0, dash), CultureInfo.InvariantCulture) + 1;
        }

        return count;
    }
}

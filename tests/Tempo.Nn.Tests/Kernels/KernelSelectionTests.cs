using Tempo.Nn.Kernels;
using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Tests.Kernels;

public sealed class KernelSelectionTests
{
    private static readonly CpuInfo _zen5Server = new("AuthenticAMD", 26, 2, "AMD EPYC", true, true, true, 48 * 1024, 1024 * 1024, 32 * 1024 * 1024, 2, true);

    [Fact]
    public void FromCaches_Zen5_GivesTheAMicroPanelItsShareOfL1WaysAndTheABlockHalfOfL2()
    {
        var blocking = GemmBlocking.FromCaches(_zen5Server, SimdPath.Vector512);

        // 48 KiB = 12 ways of 4 KiB; one for C, the other 11 split 8 : 32 between A and B panels: A gets ⌊11·8/40⌋ = 2
        // ways = 8 KiB = KC·8·4 B, so KC = 256 (B's panel, 256·32·4 B = 32 KiB, fits the other 9 ways);
        // MC·KC·4 B = 512 KiB (half of L2) gives 512; KC·NC·4 B = 8 MiB (half of 16 MiB per core) gives 8192, clamped to 4096.
        Assert.Equal(new GemmBlocking(RowBlock: 512, DepthBlock: 256, ColumnBlock: 4096), blocking);
    }

    [Fact]
    public void FromCaches_Zen4AndAnAvx2Laptop_FollowTheirSmallerCaches()
    {
        // 32 KiB = 8 ways: A gets ⌊7·8/40⌋ = 1 way, KC = 4096 / 32 = 128; MC = 512 KiB / 512 B = 1024, clamped to 512;
        // NC = (32 MiB / 16) / 2 / 512 B = 2048.
        var zen4 = _zen5Server with { Family = 25, Avx512FullWidth = false, L1DataBytes = 32 * 1024, L3SharedBy = 16 };
        Assert.Equal(new GemmBlocking(RowBlock: 512, DepthBlock: 128, ColumnBlock: 2048), GemmBlocking.FromCaches(zen4, SimdPath.Vector512));

        // AVX2's 6×16 tile on 8 ways: A gets ⌊7·6/22⌋ = 1 way, KC = 4096 / 24 = 170 → 160 (multiple of 16);
        // MC = 256 KiB / 640 B = 409 → 400; NC = (8 MiB / 8) / 2 / 640 B = 819 → 800 (multiple of 32).
        var laptop = new CpuInfo("GenuineIntel", 6, 0x8C, "laptop", false, false, true, 32 * 1024, 512 * 1024, 8 * 1024 * 1024, 8, true);
        Assert.Equal(new GemmBlocking(RowBlock: 400, DepthBlock: 160, ColumnBlock: 800), GemmBlocking.FromCaches(laptop, SimdPath.Vector256));
    }

    [Theory]
    [InlineData("AuthenticAMD", 25, 0x11, false)] // Zen 4 EPYC (Genoa): two 256-bit halves
    [InlineData("AuthenticAMD", 26, 0x02, true)] // Zen 5 EPYC (Turin)
    [InlineData("AuthenticAMD", 26, 0x44, true)] // Zen 5 desktop (Granite Ridge)
    [InlineData("AuthenticAMD", 26, 0x24, false)] // Zen 5 mobile (Strix Point)
    [InlineData("GenuineIntel", 6, 0x8F, true)] // Sapphire Rapids
    public void IsAvx512FullWidth_FollowsTheModelTable(string vendor, int family, int model, bool expected) =>
        Assert.Equal(expected, CpuInfo.IsAvx512FullWidth(vendor, family, model));

    [Fact]
    public void Detect_ThisMachine_ReportsIdentityFeaturesAndCaches()
    {
        var cpu = CpuInfo.Detect();

        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, cpu.Avx512);
        Assert.True(cpu.L1DataBytes >= 16 * 1024 && cpu.L2Bytes >= cpu.L1DataBytes, cpu.Describe());
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            Assert.True(cpu.Family > 0, cpu.Describe());
            Assert.Contains(cpu.Vendor, cpu.Describe(), StringComparison.Ordinal);

            // AMD and Intel CPUs report their caches through CPUID when the OS does not (a VM without
            // sysfs cache entries): the sizes are read, not assumed.
            if (cpu.Vendor is "AuthenticAMD" or "GenuineIntel")
            {
                Assert.True(cpu.CachesFromOs, cpu.Describe());
            }
        }
    }

    [Fact]
    public void Choose_WithoutOptions_TakesTheWidestHardwarePathAndDescribesIt()
    {
        var selection = KernelSelection.Choose(CpuInfo.Detect());

        Assert.Equal(SimdSupport.Best, selection.Path);
        Assert.Equal(GemmBlocking.FromCaches(selection.Cpu, selection.Path), selection.Blocking);
        Assert.Contains("blocks from the cache sizes", selection.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_ForcedPathAndBlocks_UsesThemAndSaysSo()
    {
        var selection = KernelSelection.Choose(CpuInfo.Detect(), KernelOptions.Parse("scalar, blocks=96x256x2048"));

        Assert.Equal(SimdPath.Scalar, selection.Path);
        Assert.Equal(new GemmBlocking(96, 256, 2048), selection.Blocking);
        Assert.Contains("forced by TEMPO_KERNELS", selection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("auto", null)]
    [InlineData("AVX512", SimdPath.Vector512)]
    [InlineData("avx2", SimdPath.Vector256)]
    [InlineData(" vector128 ", SimdPath.Vector128)]
    [InlineData("scalar", SimdPath.Scalar)]
    public void Parse_PathNames(string text, SimdPath? expected)
    {
        var options = KernelOptions.Parse(text);

        Assert.Equal(expected, options.Path);
        Assert.Null(options.Blocking);
    }

    [Theory]
    [InlineData("avx3", "'avx3' is not one of auto, avx512, avx2, vector128, scalar")]
    [InlineData("blocks=96x256", "'blocks=96x256' is not blocks=MCxKCxNC")]
    [InlineData("blocks=0x256x2048", "'blocks=0x256x2048' is not blocks=MCxKCxNC")]
    public void Parse_Malformed_NamesTheItem(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => KernelOptions.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("TEMPO_KERNELS: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("48K", 48 * 1024)]
    [InlineData("32768K", 32 * 1024 * 1024)]
    [InlineData("2M", 2 * 1024 * 1024)]
    [InlineData("", 0)]
    [InlineData("12Q", 0)]
    public void ParseSize_SysfsSizes(string text, int expected) => Assert.Equal(expected, CpuInfo.ParseSize(text));

    [Theory]
    [InlineData("0-1", 2)]
    [InlineData("0,2,4-7", 6)]
    [InlineData("3", 1)]
    public void CountCpus_SysfsLists(string text, int expected) => Assert.Equal(expected, CpuInfo.CountCpus(text));
}

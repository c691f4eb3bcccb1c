using Tempo.Games.Memory;
using Tempo.Games.SuperTux;
using Tempo.Tests.Shared;

namespace Tempo.Games.Tests.SuperTux;

/// <summary>The ELF reader against the game binary, checked against what <c>nm -D</c> printed for it (recorded in FACTS).</summary>
public sealed class SuperTuxBinaryTests
{
    [SkippableFact]
    public void Dynsym_gives_the_exported_statics_nm_lists()
    {
        var binary = ExternalTool.Require(SuperTuxGame.DebianExecutable, "supertux");
        var symbols = ElfSymbols.Read(binary);
        Assert.True(symbols.IsPositionIndependent);
        Assert.Equal(0x5f6e40UL, symbols.Find("_ZN6Sector9s_currentE"));
        Assert.Equal(0x5f6bf8UL, symbols.Find("_ZN9CurrentonI11GameSessionE9s_currentE"));
        Assert.Contains("_ZN6Sector9s_currentE", symbols.DataObjects);
        Assert.Null(symbols.Find("no_such_symbol"));
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_named_in_the_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an executable");
            var error = Assert.Throws<GameMemoryException>(() => ElfSymbols.Read(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

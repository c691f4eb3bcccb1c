using System.Text;
using Tempo.Nn.Serialization;

namespace Tempo.Nn.Tests.Serialization;

public sealed class Crc32CTests
{
    [Fact]
    public void Append_CheckString_GivesCastagnoliCheckValue()
    {
        var bytes = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xE3069283u, Crc32C.Append(0, bytes));
        Assert.Equal(0xE3069283u, Crc32C.AppendPortable(0, bytes));
    }

    [Fact]
    public void Append_Empty_IsZero()
    {
        Assert.Equal(0u, Crc32C.Append(0, []));
    }

    [Fact]
    public void Append_KnownVector_32Zeros()
    {
        // RFC 3720 (iSCSI), appendix B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Append(0, new byte[32]));
    }

    [Fact]
    public void Append_RandomDataInPieces_EqualsWholeAndPortablePath()
    {
        var random = new Random(23);
        var data = new byte[1037];
        random.NextBytes(data);
        var whole = Crc32C.Append(0, data);

        var pieces = 0u;
        for (var offset = 0; offset < data.Length;)
        {
            var length = Math.Min(random.Next(1, 40), data.Length - offset);
            pieces = Crc32C.Append(pieces, data.AsSpan(offset, length));
            offset += length;
        }

        Assert.Equal(whole, pieces);
        Assert.Equal(whole, Crc32C.AppendPortable(0, data));
    }
}

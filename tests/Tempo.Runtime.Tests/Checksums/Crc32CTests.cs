using System.Text;
using Tempo.Runtime.Checksums;

namespace Tempo.Runtime.Tests.Checksums;

public sealed class Crc32CTests
{
    public static TheoryData<string> Paths => ["tables", "intrinsics", "dispatch", "reference"];

    private static uint Compute(string path, ReadOnlySpan<byte> data) => path switch
    {
        "tables" => Crc32C.AppendWithTables(0, data),
        "intrinsics" => Crc32C.AppendWithIntrinsics(0, data),
        "dispatch" => Crc32C.Compute(data),
        "reference" => ReferenceCrc32C.Compute(data),
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    private static byte[] Bytes(int count, Func<int, int> value) => Enumerable.Range(0, count).Select(i => (byte)value(i)).ToArray();

    // RFC 3720 (iSCSI) appendix B.4 test vectors, and the "123456789" check value of the CRC catalogue.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Compute_Rfc3720Vectors_MatchPublishedValues(string path)
    {
        Assert.Equal(0x8A9136AAu, Compute(path, Bytes(32, _ => 0x00)));
        Assert.Equal(0x62A8AB43u, Compute(path, Bytes(32, _ => 0xFF)));
        Assert.Equal(0x46DD794Eu, Compute(path, Bytes(32, i => i)));
        Assert.Equal(0x113FDB5Cu, Compute(path, Bytes(32, i => 31 - i)));
        Assert.Equal(0xE3069283u, Compute(path, Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Compute(path, []));
    }

    [Fact]
    public void Paths_RandomDataOfEveryLengthAndOffset_Agree()
    {
        var random = new Random(1234);
        var buffer = new byte[300];
        random.NextBytes(buffer);
        for (var offset = 0; offset < 8; offset++)
        {
            for (var length = 0; length <= 200; length++)
            {
                var data = buffer.AsSpan(offset, length);
                var expected = ReferenceCrc32C.Compute(data);
                Assert.Equal(expected, Crc32C.AppendWithTables(0, data));
                Assert.Equal(expected, Crc32C.AppendWithIntrinsics(0, data));
            }
        }
    }

    [Fact]
    public void Append_SplitAnywhere_EqualsOneShot()
    {
        var data = new byte[64];
        new Random(7).NextBytes(data);
        var whole = ReferenceCrc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
        {
            Assert.Equal(whole, Crc32C.AppendWithTables(Crc32C.AppendWithTables(0, data.AsSpan(0, split)), data.AsSpan(split)));
            Assert.Equal(whole, Crc32C.AppendWithIntrinsics(Crc32C.AppendWithIntrinsics(0, data.AsSpan(0, split)), data.AsSpan(split)));
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}

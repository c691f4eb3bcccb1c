using Tempo.Runtime.Video;

namespace Tempo.Runtime.Tests.Video;

public sealed class GifLzwEncoderTests
{
    private static (byte[] Indices, int ClearCodes, bool EndCodeWidened) RoundTrip(GifLzwEncoder encoder, byte[] indices, int minCodeSize)
    {
        using var stream = new MemoryStream();
        encoder.Encode(indices, minCodeSize, stream);
        var data = stream.ToArray();

        Assert.Equal(minCodeSize, data[0]);
        var payload = new List<byte>();
        var position = 1;
        while (data[position] != 0)
        {
            var length = data[position];
            payload.AddRange(data.AsSpan(position + 1, length).ToArray());
            position += length + 1;
        }

        Assert.Equal(data.Length - 1, position);
        return GifDecoder.LzwDecode([.. payload], minCodeSize, indices.Length);
    }

    [Fact]
    public void Encode_RandomLengthsAndAlphabets_RoundTripIncludingWidenedEndCodes()
    {
        var encoder = new GifLzwEncoder();
        var random = new Random(7);
        var widenedEndCodes = 0;
        for (var minCodeSize = 2; minCodeSize <= 8; minCodeSize++)
        {
            for (var length = 1; length <= 700; length++)
            {
                // Small alphabets give long repeats, full alphabets give many short codes.
                var alphabet = length % 3 == 0 ? 1 << minCodeSize : 1 + (length % 3);
                var indices = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    indices[i] = (byte)random.Next(alphabet);
                }

                var (decoded, _, endCodeWidened) = RoundTrip(encoder, indices, minCodeSize);

                Assert.True(indices.AsSpan().SequenceEqual(decoded), $"minCodeSize {minCodeSize}, length {length}");
                widenedEndCodes += endCodeWidened ? 1 : 0;
            }
        }

        // The end code read one bit wider than the last data code is the classic off-by-one of GIF encoders.
        Assert.True(widenedEndCodes > 0, "No case exercised an end code widened by the last data code.");
    }

    [Theory]
    [InlineData(2, 200_000)]
    [InlineData(8, 50_000)]
    public void Encode_FullTables_ResetWithClearCodesAndRoundTrip(int minCodeSize, int length)
    {
        var random = new Random(minCodeSize);
        var indices = new byte[length];
        for (var i = 0; i < length; i++)
        {
            indices[i] = (byte)random.Next(1 << minCodeSize);
        }

        var (decoded, clearCodes, _) = RoundTrip(new GifLzwEncoder(), indices, minCodeSize);

        Assert.True(clearCodes > 2, $"Expected several table resets, saw {clearCodes} clear codes.");
        Assert.True(indices.AsSpan().SequenceEqual(decoded));
    }

    [Fact]
    public void Encode_LongSingleSymbolRun_RoundTrips()
    {
        var indices = new byte[1_000_000];

        var (decoded, clearCodes, _) = RoundTrip(new GifLzwEncoder(), indices, 2);

        Assert.Equal(1, clearCodes);
        Assert.True(indices.AsSpan().SequenceEqual(decoded));
    }

    [Fact]
    public void Encode_OneSymbol_IsClearSymbolEnd()
    {
        using var stream = new MemoryStream();

        new GifLzwEncoder().Encode([3], 2, stream);

        // Three 3-bit codes, least significant bit first: clear 4 = 100, symbol 3 = 011, end 5 = 101 → 101 011 100.
        Assert.Equal(new byte[] { 2, 2, 0b0101_1100, 0b1, 0 }, stream.ToArray());
    }
}

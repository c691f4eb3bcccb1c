namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

/// <summary>CRC-32C bit by bit, straight from the definition (reflected polynomial 0x82F63B78): slow and obviously right.</summary>
internal static class ReferenceCrc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in data)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }

    // TFRecord: rotate right by 15, add 0xa282ead8.
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }
}

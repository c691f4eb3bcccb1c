using Tempo.Runtime.Metrics.TensorBoard;

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

public sealed class RecordWriterTests
{
    [Theory]
    [InlineData(0x00000000u, 0xA282EAD8u)]
    [InlineData(0x00008000u, 0xA282EAD9u)]
    [InlineData(0x00000001u, 0xA284EAD8u)]
    [InlineData(0xFFFFFFFFu, 0xA282EAD7u)]
    public void Mask_RotatesRightBy15AndAddsTheDelta(uint crc, uint expected)
    {
        Assert.Equal(expected, RecordWriter.Mask(crc));
    }
}

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

/// <summary>The test reader must reject damaged files, or the round-trip tests above could pass on garbage.</summary>
public sealed class EventFileReaderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private byte[] WrittenFile()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var sink = Tempo.Runtime.Metrics.TensorBoard.TensorBoardMetricsSink.Create(_directory.Path, clock, "testhost");
        sink.Write(SampleReports.Full());
        sink.Dispose();
        return File.ReadAllBytes(sink.Path);
    }

    [Fact]
    public void Read_IntactFile_DecodesBothEvents()
    {
        Assert.Equal(2, EventFileReader.Read(WrittenFile()).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(20)]
    public void Read_TruncatedFile_Throws(int missingBytes)
    {
        var file = WrittenFile();

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(file[..^missingBytes]));
        Assert.Contains("Truncated", error.Message);
    }

    [Fact]
    public void Read_FlippedDataByte_ThrowsDataCrcMismatch()
    {
        var file = WrittenFile();
        file[^10] ^= 0x01;

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(file));
        Assert.Contains("Data CRC", error.Message);
    }

    [Fact]
    public void Read_FlippedLengthByte_ThrowsLengthCrcMismatch()
    {
        var file = WrittenFile();
        file[0] ^= 0x01;

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(file));
        Assert.Contains("Length CRC", error.Message);
    }

    [Fact]
    public void Read_FlippedDataCrc_ThrowsDataCrcMismatch()
    {
        var file = WrittenFile();
        file[^1] ^= 0x80;

        Assert.Throws<InvalidDataException>(() => EventFileReader.Read(file));
    }
}

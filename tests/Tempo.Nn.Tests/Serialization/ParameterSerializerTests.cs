using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Serialization;

namespace Tempo.Nn.Tests.Serialization;

public sealed class ParameterSerializerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tempo-serialization-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WriteRead_Parameters_RoundTripBitIdentical()
    {
        var source = new TrainingFixture(1.7f);
        var target = new TrainingFixture(-0.3f);
        using var stream = new MemoryStream();

        ParameterSerializer.Write(stream, source.Parameters);
        stream.Position = 0;
        ParameterSerializer.Read(stream, target.Parameters);

        TrainingFixture.AssertSame(TrainingFixture.Snapshot(source.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void SaveLoad_ParametersAndAdamState_ContinuedTrainingIsBitIdentical()
    {
        var options = new AdamOptions { LearningRate = 0.01, Epsilon = 1e-5, WeightDecay = 0.001 };
        var original = new TrainingFixture(1f);
        var originalAdam = new Adam(original.Parameters, options);
        original.Train(originalAdam, 7);
        var path = Path.Combine(_folder, "checkpoint.tps");
        ParameterSerializer.Save(path, original.Parameters, originalAdam.State);

        var restored = new TrainingFixture(-2f);
        var restoredAdam = new Adam(restored.Parameters, options);
        restored.Train(restoredAdam, 2);
        ParameterSerializer.Load(path, restored.Parameters, restoredAdam.State);
        Assert.Equal(7, restoredAdam.State.StepCount);

        original.Train(originalAdam, 5);
        restored.Train(restoredAdam, 5);

        TrainingFixture.AssertSame(
            TrainingFixture.Snapshot(original.Parameters, originalAdam.State),
            TrainingFixture.Snapshot(restored.Parameters, restoredAdam.State));
    }

    [Fact]
    public void SaveLoad_SgdMomentumState_ContinuedTrainingIsBitIdentical()
    {
        var options = new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true };
        var original = new TrainingFixture(1f);
        var originalSgd = new Sgd(original.Parameters, options);
        original.Train(originalSgd, 3);
        using var stream = new MemoryStream();
        ParameterSerializer.Write(stream, original.Parameters, originalSgd.State);

        var restored = new TrainingFixture(0.5f);
        var restoredSgd = new Sgd(restored.Parameters, options);
        stream.Position = 0;
        ParameterSerializer.Read(stream, restored.Parameters, restoredSgd.State);
        original.Train(originalSgd, 4);
        restored.Train(restoredSgd, 4);

        TrainingFixture.AssertSame(
            TrainingFixture.Snapshot(original.Parameters, originalSgd.State),
            TrainingFixture.Snapshot(restored.Parameters, restoredSgd.State));
    }

    [Fact]
    public void Read_TargetsInAnotherOrder_MatchesByName()
    {
        var source = new TrainingFixture(1.1f);
        var target = new TrainingFixture(0f);
        using var stream = new MemoryStream();
        ParameterSerializer.Write(stream, source.Parameters);
        stream.Position = 0;

        ParameterSerializer.Read(stream, [.. target.Parameters.Reverse()]);

        TrainingFixture.AssertSame(TrainingFixture.Snapshot(source.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));
    }

    [Fact]
    public void Read_OptimizerStateInDataButNotAskedFor_LoadsParametersOnly()
    {
        var source = new TrainingFixture(1f);
        var adam = new Adam(source.Parameters, new AdamOptions());
        source.Train(adam, 2);
        var path = Path.Combine(_folder, "weights.tps");
        ParameterSerializer.Save(path, source.Parameters, adam.State);
        var target = new TrainingFixture(0f);

        ParameterSerializer.Load(path, target.Parameters);

        TrainingFixture.AssertSame(TrainingFixture.Snapshot(source.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));
    }

    [Fact]
    public void Read_TwoBlobsEmbeddedInOneStream_ReadsEachAndStopsRightAfterIt()
    {
        var first = new TrainingFixture(1f);
        var second = new TrainingFixture(2f);
        using var stream = new MemoryStream();
        stream.WriteByte(0xAB);
        ParameterSerializer.Write(stream, first.Parameters);
        ParameterSerializer.Write(stream, second.Parameters);
        stream.WriteByte(0xCD);

        stream.Position = 1;
        var target = new TrainingFixture(0f);
        ParameterSerializer.Read(stream, target.Parameters);
        TrainingFixture.AssertSame(TrainingFixture.Snapshot(first.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));
        ParameterSerializer.Read(stream, target.Parameters);
        TrainingFixture.AssertSame(TrainingFixture.Snapshot(second.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));

        Assert.Equal(0xCD, stream.ReadByte());
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "model.tps");
        File.WriteAllText(path, "old contents");
        var source = new TrainingFixture(3f);

        ParameterSerializer.Save(path, source.Parameters);

        Assert.Equal([path], Directory.GetFiles(_folder));
        var target = new TrainingFixture(0f);
        ParameterSerializer.Load(path, target.Parameters);
        TrainingFixture.AssertSame(TrainingFixture.Snapshot(source.Parameters, null), TrainingFixture.Snapshot(target.Parameters, null));
    }

    [Fact]
    public void Save_WriteFails_LeavesExistingFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "model.tps");
        File.WriteAllText(path, "old contents");
        Parameter[] duplicateNames = [new Parameter("w", 1), new Parameter("w", 2)];

        Assert.Throws<ArgumentException>(() => ParameterSerializer.Save(path, duplicateNames));

        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_MissingFolder_Throws()
    {
        var path = Path.Combine(_folder, "missing", "model.tps");

        Assert.Throws<DirectoryNotFoundException>(() => ParameterSerializer.Save(path, new TrainingFixture(1f).Parameters));
    }

    [Fact]
    public void WriteRead_NoParameters_RoundTrips()
    {
        using var stream = new MemoryStream();

        ParameterSerializer.Write(stream, Array.Empty<Parameter>());
        stream.Position = 0;
        ParameterSerializer.Read(stream, Array.Empty<Parameter>());

        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Write_Layout_FollowsTheSpecification()
    {
        // docs/formats/parameters.md: magic, version 1, header length, header, header CRC, payload, payload CRC.
        var parameter = new Parameter("w", 2);
        parameter.Value.Span[0] = 1f;
        parameter.Value.Span[1] = -2f;
        using var stream = new MemoryStream();

        ParameterSerializer.Write(stream, [parameter]);
        var bytes = stream.ToArray();

        byte[] expectedHeader =
        [
            8, 0, 0, 0, 0, 0, 0, 0, // payload length
            1, 0, 0, 0, // one parameter
            1, 0, (byte)'w', // name
            1, // float32
            1, // rank
            2, 0, 0, 0, // dimension
            0, 0, // no optimizer
        ];
        Assert.Equal(new byte[] { 0x89, (byte)'T', (byte)'P', (byte)'S', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(1, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(expectedHeader.Length, BitConverter.ToInt32(bytes, 12));
        Assert.Equal(expectedHeader, bytes[16..(16 + expectedHeader.Length)]);
        var headerEnd = 16 + expectedHeader.Length;
        Assert.Equal(Crc32C.Append(0, bytes.AsSpan(0, headerEnd)), BitConverter.ToUInt32(bytes, headerEnd));
        Assert.Equal(1f, BitConverter.ToSingle(bytes, headerEnd + 4));
        Assert.Equal(-2f, BitConverter.ToSingle(bytes, headerEnd + 8));
        Assert.Equal(Crc32C.Append(0, bytes.AsSpan(headerEnd + 4, 8)), BitConverter.ToUInt32(bytes, headerEnd + 12));
        Assert.Equal(headerEnd + 16, bytes.Length);
    }

    [Fact]
    public void Write_DuplicateNames_ThrowsNamingIt()
    {
        using var stream = new MemoryStream();

        var error = Assert.Throws<ArgumentException>(() => ParameterSerializer.Write(stream, [new Parameter("w", 1), new Parameter("w", 1)]));

        Assert.Contains("'w'", error.Message);
    }
}

using System.Buffers.Binary;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Serialization;

namespace Tempo.Nn.Tests.Serialization;

/// <summary>Every way a blob can be bad must give a clear <see cref="InvalidDataException"/> and leave the targets untouched.</summary>
public sealed class ParameterSerializerCorruptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tempo-corruption-").FullName;
    private readonly TrainingFixture _target = new(-0.7f);
    private readonly Adam _targetAdam;
    private readonly byte[] _valid;
    private readonly int _headerLength;

    public ParameterSerializerCorruptionTests()
    {
        // The target has trained state of its own, different from the file's, so any partial commit shows.
        _targetAdam = new Adam(_target.Parameters, new AdamOptions());
        _target.Train(_targetAdam, 2);

        var source = new TrainingFixture(1.3f);
        var sourceAdam = new Adam(source.Parameters, new AdamOptions());
        source.Train(sourceAdam, 5);
        using var stream = new MemoryStream();
        ParameterSerializer.Write(stream, source.Parameters, sourceAdam.State);
        _valid = stream.ToArray();
        _headerLength = BinaryPrimitives.ReadInt32LittleEndian(_valid.AsSpan(12));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Valid_Blob_Loads()
    {
        ParameterSerializer.Read(new MemoryStream(_valid), _target.Parameters, _targetAdam.State);

        Assert.Equal(5, _targetAdam.State.StepCount);
    }

    [Fact]
    public void Read_TruncatedAtEveryOffset_ReportsTruncationAndLeavesTargetsUntouched()
    {
        for (var length = 0; length < _valid.Length; length++)
        {
            var error = AssertRejected(_valid[..length], _target.Parameters, _targetAdam.State);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void Load_TruncatedFiles_ReportPathAndTruncation()
    {
        foreach (var length in new[] { 0, 5, 16, 40, _valid.Length / 2, _valid.Length - 1 })
        {
            var path = Path.Combine(_folder, $"truncated-{length}.tps");
            File.WriteAllBytes(path, _valid[..length]);
            var before = TrainingFixture.Snapshot(_target.Parameters, _targetAdam.State);

            var error = Assert.Throws<InvalidDataException>(() => ParameterSerializer.Load(path, _target.Parameters, _targetAdam.State));

            Assert.Contains(path, error.Message);
            Assert.Contains("truncated", error.Message);
            TrainingFixture.AssertSame(before, TrainingFixture.Snapshot(_target.Parameters, _targetAdam.State));
        }
    }

    [Fact]
    public void Read_AnyByteFlipped_IsRejectedWithTheRightReasonAndLeavesTargetsUntouched()
    {
        var headerChecksumEnd = 16 + _headerLength + 4;
        for (var offset = 0; offset < _valid.Length; offset++)
        {
            var corrupt = (byte[])_valid.Clone();
            corrupt[offset] ^= 0x5A;

            var error = AssertRejected(corrupt, _target.Parameters, _targetAdam.State);

            var expected = offset switch
            {
                < 8 => "not a Tempo parameter file",
                < 12 => "format version",
                < 16 => null, // a damaged header length shows up as a limit, a truncation or a checksum error
                _ when offset < headerChecksumEnd => "header checksum",
                _ => "payload checksum",
            };
            if (expected is not null)
            {
                Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"byte {offset}: {error.Message}");
            }
        }
    }

    [Fact]
    public void Load_TrailingBytes_IsRejected()
    {
        var path = Path.Combine(_folder, "trailing.tps");
        File.WriteAllBytes(path, [.. _valid, 0]);

        var error = Assert.Throws<InvalidDataException>(() => ParameterSerializer.Load(path, _target.Parameters, _targetAdam.State));

        Assert.Contains("unexpected bytes follow", error.Message);
        Assert.Equal(2, _targetAdam.State.StepCount);
    }

    [Fact]
    public void Read_WrongMagic_SaysItIsNotAParameterFile()
    {
        var text = "layer.weight,1,2,3\nlayer.bias,4\n"u8.ToArray();

        var error = AssertRejected(text, _target.Parameters, null);

        Assert.Contains("not a Tempo parameter file", error.Message);
    }

    [Fact]
    public void Read_FutureVersion_SaysTheVersionIsNewer()
    {
        var blob = Fixture(version: 2);

        var error = AssertRejected(blob, _target.Parameters, null);

        Assert.Contains("format version 2", error.Message);
        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public void Read_VersionZero_IsRejected()
    {
        var error = AssertRejected(Fixture(version: 0), _target.Parameters, null);

        Assert.Contains("format version 0", error.Message);
    }

    [Fact]
    public void Read_HandBuiltFromSpecification_Loads()
    {
        var blob = new SpecBlob()
            .Int64(4 * (12 + 3 + 1))
            .UInt32(3).Entry("layer.weight", 3, 4).Entry("layer.bias", 3).Entry("scale")
            .String(string.Empty)
            .Payload([.. Enumerable.Range(0, 16).Select(i => (float)i)])
            .Build();

        ParameterSerializer.Read(new MemoryStream(blob), _target.Parameters);

        Assert.Equal(11f, _target.Parameters[0].Value.Span[11]);
        Assert.Equal(12f, _target.Parameters[1].Value.Span[0]);
        Assert.Equal(15f, _target.Parameters[2].Value.Span[0]);
    }

    public static TheoryData<string, string> GarbageHeaders => new()
    {
        { "element type", "element type 7" },
        { "rank", "rank 200" },
        { "negative dimension", "negative dimension -3" },
        { "utf8", "not valid UTF-8" },
        { "count", "lists 1000000 parameter tensors" },
        { "payload length", "declares a 99-byte payload" },
        { "negative payload length", "payload length -8 is negative" },
        { "trailing", "2 unexpected bytes follow" },
        { "duplicate", "'w' appears twice" },
        { "empty name", "empty name" },
        { "long name", "the limit is 1024" },
        { "cut", "needs 4 bytes at header offset" },
        { "negative step", "step count -1 is negative" },
    };

    [Theory]
    [MemberData(nameof(GarbageHeaders))]
    public void Read_GarbageHeaderWithValidChecksum_NamesTheProblem(string kind, string expected)
    {
        var blob = new SpecBlob();
        switch (kind)
        {
            case "element type":
                blob.Int64(4).UInt32(1).String("w").Byte(7).Byte(0).String(string.Empty);
                break;
            case "rank":
                blob.Int64(4).UInt32(1).String("w").Byte(1).Byte(200).String(string.Empty);
                break;
            case "negative dimension":
                blob.Int64(4).UInt32(1).String("w").Byte(1).Byte(1).UInt32(unchecked((uint)-3)).String(string.Empty);
                break;
            case "utf8":
                blob.Int64(4).UInt32(1).RawString([0xC3, 0x28]).Byte(1).Byte(0).String(string.Empty);
                break;
            case "count":
                blob.Int64(4).UInt32(1_000_000).Entry("w").String(string.Empty);
                break;
            case "payload length":
                blob.Int64(99).UInt32(1).Entry("w").String(string.Empty);
                break;
            case "negative payload length":
                blob.Int64(-8).UInt32(0).String(string.Empty);
                break;
            case "trailing":
                blob.Int64(4).UInt32(1).Entry("w").String(string.Empty).Byte(0).Byte(0);
                break;
            case "duplicate":
                blob.Int64(8).UInt32(2).Entry("w").Entry("w").String(string.Empty);
                break;
            case "empty name":
                blob.Int64(4).UInt32(1).Entry(string.Empty).String(string.Empty);
                break;
            case "long name":
                blob.Int64(4).UInt32(1).Entry(new string('n', 2000)).String(string.Empty);
                break;
            case "cut":
                blob.Int64(4).UInt32(1).String("w").Byte(1).Byte(2).UInt32(1);
                break;
            case "negative step":
                blob.Int64(4).UInt32(1).Entry("w").String("Adam").Int64(-1).UInt32(0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        var error = AssertRejected(blob.Payload(1f).Build(), [new Parameter("w")], null);

        Assert.Contains("header is malformed", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_HeaderLengthBeyondLimit_IsRejectedBeforeAllocating()
    {
        var blob = (byte[])_valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), uint.MaxValue);

        var error = AssertRejected(blob, _target.Parameters, _targetAdam.State);

        Assert.Contains("exceeds the limit", error.Message);
    }

    [Fact]
    public void Read_ShapeMismatch_NamesTensorAndBothShapes()
    {
        Parameter[] model = [new Parameter("layer.weight", 3, 5), new Parameter("layer.bias", 3), new Parameter("scale")];

        var error = AssertRejected(_valid, model, null);

        Assert.Contains("'layer.weight'", error.Message);
        Assert.Contains("[3, 4] in the file", error.Message);
        Assert.Contains("[3, 5] in the model", error.Message);
    }

    [Fact]
    public void Read_NamesMismatch_ListsMissingAndUnexpectedNames()
    {
        Parameter[] model = [new Parameter("layer.weight", 3, 4), new Parameter("layer.bias", 3), new Parameter("gain")];

        var error = AssertRejected(_valid, model, null);

        Assert.Contains("missing from the file: 'gain'", error.Message);
        Assert.Contains("in the file but not in the model: 'scale'", error.Message);
    }

    [Fact]
    public void Read_OptimizerBufferShapeMismatch_NamesTheBuffer()
    {
        Parameter[] model = [new Parameter("layer.weight", 3, 4), new Parameter("layer.bias", 3), new Parameter("scale")];
        var adamWithOtherShapes = new Adam([new Parameter("layer.weight", 4, 3), model[1], model[2]], new AdamOptions());

        var error = AssertRejected(_valid, model, adamWithOtherShapes.State);

        Assert.Contains("optimizer buffer 'exp_avg/layer.weight'", error.Message);
    }

    [Fact]
    public void Read_AdamStateIntoSgd_NamesBothAlgorithms()
    {
        var sgd = new Sgd(_target.Parameters, new SgdOptions { Momentum = 0.9 });

        var error = AssertRejected(_valid, _target.Parameters, sgd.State);

        Assert.Contains("holds Adam optimizer state", error.Message);
        Assert.Contains("Sgd", error.Message);
    }

    [Fact]
    public void Read_NoOptimizerStateButAskedFor_SaysSo()
    {
        using var stream = new MemoryStream();
        ParameterSerializer.Write(stream, new TrainingFixture(1f).Parameters);

        var error = AssertRejected(stream.ToArray(), _target.Parameters, _targetAdam.State);

        Assert.Contains("holds no optimizer state", error.Message);
    }

    private byte[] Fixture(uint version)
    {
        var blob = (byte[])_valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), version);

        // Re-sign the header so that only the version is wrong.
        var headerEnd = 16 + _headerLength;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(headerEnd), Crc32C.Append(0, blob.AsSpan(0, headerEnd)));
        return blob;
    }

    private static InvalidDataException AssertRejected(byte[] blob, IReadOnlyList<Parameter> parameters, OptimizerState? state)
    {
        var before = TrainingFixture.Snapshot(parameters, state);

        var error = Assert.Throws<InvalidDataException>(() => ParameterSerializer.Read(new MemoryStream(blob), parameters, state));

        Assert.StartsWith("Parameter data", error.Message);
        TrainingFixture.AssertSame(before, TrainingFixture.Snapshot(parameters, state));
        return error;
    }
}

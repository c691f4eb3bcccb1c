using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Runtime.Checkpoints;
using Tempo.Runtime.Tests.Checksums;
using Tempo.Runtime.Tests.Metrics;

namespace Tempo.Runtime.Tests.Checkpoints;

/// <summary>The checkpoint file round-trips what runs save, and stays readable across additive changes to its metadata (docs/formats/checkpoint.md).</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void SaveThenLoad_AsyncRunState_RoundTripsCountersStreamsAndWeights()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 0.25f);
        adam.State.StepCount = 42;
        var saved = Checkpoint() with { TrainedSteps = 12_345 };

        CheckpointFile.Save(path, saved, parameters, adam.State);
        var (loadedParameters, loadedAdam) = Model(fill: 0);
        var loaded = CheckpointFile.Load(path, loadedParameters, loadedAdam.State);

        Assert.Equal(saved.Config, loaded.Config);
        Assert.Equal((saved.GlobalStep, saved.Updates, saved.TrainedSteps, saved.PolicyVersion, saved.Episodes, saved.Resumes), (loaded.GlobalStep, loaded.Updates, loaded.TrainedSteps, loaded.PolicyVersion, loaded.Episodes, loaded.Resumes));
        Assert.Equal(saved.RandomStates.OrderBy(p => p.Key), loaded.RandomStates.OrderBy(p => p.Key));
        Assert.All(loadedParameters, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0.25f, v)));
        Assert.Equal(42, loadedAdam.State.StepCount);
    }

    [Fact]
    public void ReadMetadata_FileWithoutTrainedSteps_ReadsItAsZero()
    {
        // A checkpoint written before TrainedSteps existed (sync PPO) lacks the member.
        var path = WriteWithEditedMetadata(metadata => metadata.Remove(nameof(TrainingCheckpoint.TrainedSteps)));

        var loaded = CheckpointFile.ReadMetadata(path);

        Assert.Equal(0, loaded.TrainedSteps);
        Assert.Equal(Checkpoint().Updates, loaded.Updates);
    }

    [Fact]
    public void ReadMetadata_FileWithAMemberThisBuildDoesNotKnow_SkipsIt()
    {
        // Optional members added by a later build must not make this build refuse the file.
        var path = WriteWithEditedMetadata(metadata => metadata["SomethingAddedLater"] = new JsonArray(1, 2, 3));

        var loaded = CheckpointFile.ReadMetadata(path);

        Assert.Equal(Checkpoint().GlobalStep, loaded.GlobalStep);
    }

    [Fact]
    public void ReadMetadata_AnotherFormatVersion_FailsNamingBoth()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 1);
        CheckpointFile.Save(path, Checkpoint(), parameters, adam.State);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadMetadata(path));

        Assert.Contains("format version 2", error.Message);
        Assert.Contains("reads version 1", error.Message);
    }

    internal static TrainingCheckpoint Checkpoint() => new()
    {
        Config = """{ "env": "LiveCartPole-v1", "algo": "appo" }""",
        GlobalStep = 40_032,
        Updates = 1_250,
        PolicyVersion = 1_250,
        Episodes = 321,
        Resumes = 2,
        RandomStates = new Dictionary<string, RandomSourceState>
        {
            ["learner"] = new RandomSource(1).GetState(),
            ["actor-0"] = new RandomSource(2).GetState(),
            ["actor-1"] = new RandomSource(3).GetState(),
        },
    };

    internal static (NamedParameter[] Parameters, Adam Adam) Model(float fill)
    {
        var weight = new Parameter("weight", 3, 2);
        var bias = new Parameter("bias", 3);
        weight.Value.Span.Fill(fill);
        bias.Value.Span.Fill(fill);
        NamedParameter[] parameters = [new("layer.weight", weight), new("layer.bias", bias)];
        return (parameters, new Adam(parameters, new AdamOptions()));
    }

    /// <summary>Saves a checkpoint, then rewrites its metadata JSON as <paramref name="edit"/> says, with a valid checksum.</summary>
    private string WriteWithEditedMetadata(Action<JsonObject> edit)
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 1);
        CheckpointFile.Save(path, Checkpoint(), parameters, adam.State);
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        var metadata = JsonNode.Parse(bytes.AsSpan(16, length))!.AsObject();
        Assert.True(metadata.ContainsKey(nameof(TrainingCheckpoint.TrainedSteps)), "the metadata member names changed; update this test");
        edit(metadata);
        var edited = Encoding.UTF8.GetBytes(metadata.ToJsonString());

        using var file = new MemoryStream();
        file.Write(bytes.AsSpan(0, 12));
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)edited.Length);
        file.Write(word);
        file.Write(edited);
        BinaryPrimitives.WriteUInt32LittleEndian(word, ReferenceCrc32C.Compute(edited));
        file.Write(word);
        file.Write(bytes.AsSpan(16 + length + 4));
        File.WriteAllBytes(path, file.ToArray());
        return path;
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Tempo.Core.Seeding;
using Tempo.Nn.Modules;
using Tempo.Nn.Optimizers;
using Tempo.Nn.Serialization;
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

        CheckpointFile.Save(path, saved, parameters, Named(parameters, adam));
        var (loadedParameters, loadedAdam) = Model(fill: 0);
        var loaded = CheckpointFile.Load(path, loadedParameters, Named(loadedParameters, loadedAdam));

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
        CheckpointFile.Save(path, Checkpoint(), parameters, Named(parameters, adam));
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 3);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadMetadata(path));

        Assert.Contains("format version 3", error.Message);
        Assert.Contains("reads versions 1 and 2", error.Message);
    }

    [Fact]
    public void Load_FormatVersion1File_LoadsItsOneOptimizerStateIntoTheOneOptimizer()
    {
        // Version 1, built here from its documented layout: header, metadata, its CRC, then one parameter blob holding
        // the weights and the single (unnamed) optimizer state.
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 0.75f);
        adam.State.StepCount = 5;
        adam.State.Buffer(0, 0).Span.Fill(0.125f);
        var metadata = Encoding.UTF8.GetBytes("""{"Config":"{}","GlobalStep":64,"Updates":4,"PolicyVersion":4,"Episodes":2,"RandomStates":{}}""");
        using (var file = File.Create(path))
        {
            Span<byte> word = stackalloc byte[4];
            file.Write("TEMPOCKP"u8);
            BinaryPrimitives.WriteUInt32LittleEndian(word, 1);
            file.Write(word);
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)metadata.Length);
            file.Write(word);
            file.Write(metadata);
            BinaryPrimitives.WriteUInt32LittleEndian(word, ReferenceCrc32C.Compute(metadata));
            file.Write(word);
            ParameterSerializer.Write(file, parameters, adam.State);
        }

        var (loadedParameters, loadedAdam) = Model(fill: 0);
        var loaded = CheckpointFile.Load(path, loadedParameters, [new NamedOptimizerState("actor_critic", loadedAdam.State, loadedParameters)]);

        Assert.Equal((64L, 4L, 4L), (loaded.GlobalStep, loaded.Updates, loaded.PolicyVersion));
        Assert.Empty(loaded.Optimizers);
        Assert.All(loadedParameters, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0.75f, v)));
        Assert.Equal(5, loadedAdam.State.StepCount);
        Assert.All(loadedAdam.State.Buffer(0, 0).Span.ToArray(), v => Assert.Equal(0.125f, v));

        // The same file, read for its weights only (eval), and refused for a learner with two optimizers.
        var (weightsOnly, _) = Model(fill: 0);
        CheckpointFile.Load(path, weightsOnly);
        Assert.All(weightsOnly, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0.75f, v)));
        var (two, twoAdam) = Model(fill: 0);
        var secondAdam = new Adam(two, new AdamOptions());
        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path, two, [Named(two, twoAdam)[0], new NamedOptimizerState("second", secondAdam.State, two)]));
        Assert.Contains("format-version-1", error.Message);
        Assert.All(two, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Save_RecordsTheOptimizerNamesInFileOrder()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 1);

        CheckpointFile.Save(path, Checkpoint() with { Optimizers = ["ignored"] }, parameters, Named(parameters, adam));

        Assert.Equal(["adam"], CheckpointFile.ReadMetadata(path).Optimizers);
    }

    [Fact]
    public void Load_OptimizerNamedDifferently_FailsNamingBothAndLoadsNothing()
    {
        var path = _directory.File(CheckpointFile.FileName);
        var (parameters, adam) = Model(fill: 1);
        CheckpointFile.Save(path, Checkpoint(), parameters, Named(parameters, adam));
        var (loadedParameters, loadedAdam) = Model(fill: 0);

        var error = Assert.Throws<InvalidDataException>(
            () => CheckpointFile.Load(path, loadedParameters, [new NamedOptimizerState("critic", loadedAdam.State, loadedParameters)]));

        Assert.Contains("critic", error.Message);
        Assert.Contains("adam", error.Message);
        Assert.All(loadedParameters, p => Assert.All(p.Parameter.Value.Span.ToArray(), v => Assert.Equal(0f, v)));
    }

    internal static NamedOptimizerState[] Named(NamedParameter[] parameters, Adam adam) => [new("adam", adam.State, parameters)];

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
        CheckpointFile.Save(path, Checkpoint(), parameters, Named(parameters, adam));
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

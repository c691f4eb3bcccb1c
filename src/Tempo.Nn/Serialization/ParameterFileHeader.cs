using System.Text;

namespace Tempo.Nn.Serialization;

/// <summary>The decoded header of a parameter file: payload size, parameter tensors, and the optional optimizer state section.</summary>
internal sealed class ParameterFileHeader
{
    /// <summary>Creates a header; <see cref="PayloadLength"/> follows from the tensors.</summary>
    public ParameterFileHeader(TensorDescriptor[] parameters, string optimizerAlgorithm, long stepCount, TensorDescriptor[] optimizerBuffers)
    {
        Parameters = parameters;
        OptimizerAlgorithm = optimizerAlgorithm;
        StepCount = stepCount;
        OptimizerBuffers = optimizerBuffers;
        long payload = 0;
        foreach (var tensor in parameters)
        {
            payload = checked(payload + (tensor.ElementCount * sizeof(float)));
        }

        foreach (var tensor in optimizerBuffers)
        {
            payload = checked(payload + (tensor.ElementCount * sizeof(float)));
        }

        PayloadLength = payload;
    }

    /// <summary>The payload's length in bytes: four per element of every tensor.</summary>
    public long PayloadLength { get; }

    /// <summary>The parameter tensors, in payload order.</summary>
    public TensorDescriptor[] Parameters { get; }

    /// <summary>The optimizer's name, or empty when the file holds no optimizer state.</summary>
    public string OptimizerAlgorithm { get; }

    /// <summary>Whether the file holds an optimizer state section.</summary>
    public bool HasOptimizerState => OptimizerAlgorithm.Length > 0;

    /// <summary>The optimizer's step count (0 without optimizer state).</summary>
    public long StepCount { get; }

    /// <summary>The optimizer buffers, in payload order after the parameters.</summary>
    public TensorDescriptor[] OptimizerBuffers { get; }

    /// <summary>Encodes the header block (without the preamble or checksum).</summary>
    public byte[] Encode()
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            // BinaryWriter writes little-endian on every platform.
            writer.Write(PayloadLength);
            WriteSection(writer, Parameters);
            WriteString(writer, OptimizerAlgorithm);
            if (HasOptimizerState)
            {
                writer.Write(StepCount);
                WriteSection(writer, OptimizerBuffers);
            }
        }

        return memory.ToArray();
    }

    /// <summary>Decodes and validates a header block; <paramref name="source"/> names the file or stream in messages.</summary>
    public static ParameterFileHeader Decode(ReadOnlySpan<byte> block, string source)
    {
        var reader = new HeaderReader(block, source);
        var payloadLength = reader.ReadInt64("the payload length");
        if (payloadLength < 0)
        {
            reader.Fail($"the payload length {payloadLength} is negative");
        }

        var parameters = ReadSection(ref reader, "parameter");
        var algorithm = reader.ReadString("the optimizer name");
        long stepCount = 0;
        TensorDescriptor[] buffers = [];
        if (algorithm.Length > 0)
        {
            stepCount = reader.ReadInt64("the optimizer step count");
            if (stepCount < 0)
            {
                reader.Fail($"the optimizer step count {stepCount} is negative");
            }

            buffers = ReadSection(ref reader, "optimizer buffer");
        }

        if (reader.Remaining != 0)
        {
            reader.Fail($"{reader.Remaining} unexpected bytes follow the last field");
        }

        var header = new ParameterFileHeader(parameters, algorithm, stepCount, buffers);
        if (header.PayloadLength != payloadLength)
        {
            reader.Fail($"it declares a {payloadLength}-byte payload but its tensors need {header.PayloadLength} bytes");
        }

        return header;
    }

    private static void WriteSection(BinaryWriter writer, TensorDescriptor[] tensors)
    {
        writer.Write((uint)tensors.Length);
        foreach (var tensor in tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write(ParameterFileFormat.Float32);
            writer.Write((byte)tensor.Shape.Length);
            foreach (var dimension in tensor.Shape)
            {
                writer.Write(dimension);
            }
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ushort)bytes.Length);
        writer.Write(bytes);
    }

    private static TensorDescriptor[] ReadSection(ref HeaderReader reader, string kind)
    {
        var count = reader.ReadUInt32($"the {kind} count");

        // Every entry takes at least 4 bytes (name length, element type, rank), which bounds a corrupt count.
        if (count > reader.Remaining / 4)
        {
            reader.Fail($"it lists {count} {kind} tensors but only {reader.Remaining} header bytes remain");
        }

        var tensors = new TensorDescriptor[count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < tensors.Length; index++)
        {
            var name = reader.ReadString($"the name of {kind} tensor {index}");
            if (name.Length == 0)
            {
                reader.Fail($"{kind} tensor {index} has an empty name");
            }

            if (!names.Add(name))
            {
                reader.Fail($"{kind} tensor '{name}' appears twice");
            }

            var elementType = reader.ReadByte($"the element type of '{name}'");
            if (elementType != ParameterFileFormat.Float32)
            {
                reader.Fail($"tensor '{name}' has element type {elementType}; version {ParameterFileFormat.Version} defines only {ParameterFileFormat.Float32} (float32)");
            }

            var rank = reader.ReadByte($"the rank of '{name}'");
            if (rank > ParameterFileFormat.MaxRank)
            {
                reader.Fail($"tensor '{name}' has rank {rank}; the limit is {ParameterFileFormat.MaxRank}");
            }

            var shape = new int[rank];
            long elements = 1;
            for (var axis = 0; axis < rank; axis++)
            {
                shape[axis] = reader.ReadInt32($"dimension {axis} of '{name}'");
                if (shape[axis] < 0)
                {
                    reader.Fail($"tensor '{name}' has negative dimension {shape[axis]}");
                }

                elements *= shape[axis];
                if (elements > Array.MaxLength)
                {
                    reader.Fail($"tensor '{name}' has more elements than a tensor can hold");
                }
            }

            tensors[index] = new TensorDescriptor(name, shape);
        }

        return tensors;
    }
}

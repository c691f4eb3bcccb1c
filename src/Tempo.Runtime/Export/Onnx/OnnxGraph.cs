namespace Tempo.Runtime.Export.Onnx;

/// <summary>An ONNX graph under construction (nodes, float initializers, typed inputs and outputs), serialized as a <c>ModelProto</c>.</summary>
/// <remarks>Field numbers are those of <c>onnx/onnx.proto</c>; only the fields a plain inference graph needs are written.</remarks>
internal sealed class OnnxGraph
{
    /// <summary>ONNX's default operator set, at the version whose operators the exporter uses (Gemm-13, Conv-11, Relu-13 …).</summary>
    public const int OpsetVersion = 13;

    /// <summary>The IR version that goes with opset 13 (IR_VERSION_2020_5_8).</summary>
    private const int IrVersion = 7;

    private const string BatchParameter = "batch";

    private readonly List<Node> _nodes = [];
    private readonly List<(string Name, IReadOnlyList<int> Dims, float[] Data)> _initializers = [];
    private readonly List<OnnxTensorInfo> _inputs = [];
    private readonly List<OnnxTensorInfo> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nextValue;

    /// <summary>The inputs and outputs declared so far.</summary>
    public OnnxSignature Signature => new([.. _inputs], [.. _outputs]);

    /// <summary>Declares a graph input.</summary>
    public string AddInput(OnnxTensorInfo input)
    {
        Claim(input.Name);
        _inputs.Add(input);
        return input.Name;
    }

    /// <summary>Declares <paramref name="value"/> (a node's output or an initializer) a graph output under <paramref name="output"/>'s name, through an Identity node.</summary>
    public void AddOutput(string value, OnnxTensorInfo output)
    {
        Claim(output.Name);
        _nodes.Add(new Node("Identity", [value], output.Name, []));
        _outputs.Add(output);
    }

    /// <summary>Adds a float constant (weights, biases, scales) under <paramref name="name"/>.</summary>
    public string AddInitializer(string name, IReadOnlyList<int> dims, ReadOnlySpan<float> data)
    {
        Claim(name);
        _initializers.Add((name, [.. dims], data.ToArray()));
        return name;
    }

    /// <summary>Adds a node of <paramref name="opType"/> with one output, named fresh, and returns that name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string output;
        do
        {
            output = $"{opType.ToLowerInvariant()}_{_nextValue++}";
        }
        while (_names.Contains(output));

        Claim(output);
        _nodes.Add(new Node(opType, inputs, output, attributes));
        return output;
    }

    /// <summary>Serializes the graph as an ONNX <c>ModelProto</c> with <paramref name="metadata"/> as its <c>metadata_props</c>.</summary>
    public byte[] ToModel(string graphName, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ProtobufWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, "Tempo");
        model.WriteString(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0");
        model.WriteMessage(7, graph => WriteGraph(graph, graphName));
        model.WriteMessage(8, opset =>
        {
            opset.WriteString(1, string.Empty);
            opset.WriteInt64(2, OpsetVersion);
        });
        foreach (var (key, value) in metadata)
        {
            model.WriteMessage(14, entry =>
            {
                entry.WriteString(1, key);
                entry.WriteString(2, value);
            });
        }

        return model.WrittenSpan.ToArray();
    }

    private void WriteGraph(ProtobufWriter graph, string name)
    {
        foreach (var node in _nodes)
        {
            graph.WriteMessage(1, writer => WriteNode(writer, node));
        }

        graph.WriteString(2, name);
        foreach (var (initializerName, dims, data) in _initializers)
        {
            graph.WriteMessage(5, tensor =>
            {
                foreach (var dim in dims)
                {
                    tensor.WriteInt64(1, dim);
                }

                tensor.WriteInt64(2, (int)OnnxElementType.Float);
                tensor.WriteString(8, initializerName);
                tensor.WriteFloats(9, data);
            });
        }

        foreach (var input in _inputs)
        {
            graph.WriteMessage(11, writer => WriteValueInfo(writer, input));
        }

        foreach (var output in _outputs)
        {
            graph.WriteMessage(12, writer => WriteValueInfo(writer, output));
        }
    }

    private static void WriteNode(ProtobufWriter writer, Node node)
    {
        foreach (var input in node.Inputs)
        {
            writer.WriteString(1, input);
        }

        writer.WriteString(2, node.Output);
        writer.WriteString(3, node.Output);
        writer.WriteString(4, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            writer.WriteMessage(5, a => attribute.WriteTo(a));
        }
    }

    private static void WriteValueInfo(ProtobufWriter writer, OnnxTensorInfo info)
    {
        writer.WriteString(1, info.Name);
        writer.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, (int)info.ElementType);
            tensor.WriteMessage(2, shape =>
            {
                foreach (var dim in info.Shape)
                {
                    shape.WriteMessage(1, d =>
                    {
                        if (dim == OnnxTensorInfo.BatchDimension)
                        {
                            d.WriteString(2, BatchParameter);
                        }
                        else
                        {
                            d.WriteInt64(1, dim);
                        }
                    });
                }
            });
        }));
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The ONNX graph already has a value named '{name}'.", nameof(name));
        }
    }

    private sealed record Node(string OpType, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<OnnxAttribute> Attributes);
}

/// <summary>A node attribute: an int, a float or a list of ints (<c>AttributeProto</c>).</summary>
internal abstract record OnnxAttribute(string Name)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new IntAttribute(name, value);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new IntsAttribute(name, values);

    /// <summary>Writes the attribute's fields.</summary>
    public abstract void WriteTo(ProtobufWriter writer);

    private sealed record IntAttribute(string Name, long Value) : OnnxAttribute(Name)
    {
        public override void WriteTo(ProtobufWriter writer)
        {
            writer.WriteString(1, Name);
            writer.WriteInt64(3, Value);
            writer.WriteInt64(20, 2);
        }
    }

    private sealed record IntsAttribute(string Name, long[] Values) : OnnxAttribute(Name)
    {
        public override void WriteTo(ProtobufWriter writer)
        {
            writer.WriteString(1, Name);
            foreach (var value in Values)
            {
                writer.WriteInt64(8, value);
            }

            writer.WriteInt64(20, 7);
        }
    }
}

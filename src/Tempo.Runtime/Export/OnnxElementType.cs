namespace Tempo.Runtime.Export;

/// <summary>Element types of the tensors an exported policy reads and writes; the values are ONNX's <c>TensorProto.DataType</c> codes.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit float (<c>tensor(float)</c>).</summary>
    Float = 1,

    /// <summary>Unsigned byte (<c>tensor(uint8)</c>): pixel frames.</summary>
    UInt8 = 2,

    /// <summary>32-bit signed integer (<c>tensor(int32)</c>).</summary>
    Int32 = 6,

    /// <summary>64-bit float (<c>tensor(double)</c>).</summary>
    Double = 11,
}

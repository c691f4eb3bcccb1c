using Tempo.Nn.Modules;

namespace Tempo.Nn.Tests.Modules;

public sealed class ElementwiseTests
{
    [Fact]
    public void Scale_BytesAndFloats_MultiplyEveryElement()
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)(i * 37 % 256)).ToArray();
        var fromBytes = new float[bytes.Length];
        var fromFloats = new float[bytes.Length];
        Elementwise.Scale(bytes, 1f / 255f, fromBytes);
        Elementwise.Scale(bytes.Select(b => (float)b).ToArray(), 1f / 255f, fromFloats);
        Assert.Equal(bytes.Select(b => b * (1f / 255f)), fromBytes);
        Assert.Equal(fromBytes, fromFloats);
    }
}

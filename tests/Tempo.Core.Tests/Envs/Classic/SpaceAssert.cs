using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>Assertions that a space equals the one Gymnasium declares.</summary>
internal static class SpaceAssert
{
    public static void Box(object space, float[] low, float[] high)
    {
        var box = Assert.IsType<BoxSpace<float>>(space);
        Assert.Equal([low.Length], box.Shape);
        Assert.Equal(typeof(float), box.ElementType);
        Assert.Equal(low, box.Low.ToArray());
        Assert.Equal(high, box.High.ToArray());
    }

    public static void Discrete(object space, int n)
    {
        var discrete = Assert.IsType<DiscreteSpace>(space);
        Assert.Equal(n, discrete.N);
        Assert.Equal(0, discrete.Start);
        Assert.Empty(discrete.Shape);
    }
}

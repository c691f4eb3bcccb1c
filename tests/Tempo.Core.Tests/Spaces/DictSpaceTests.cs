using System.Runtime.InteropServices;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.Spaces;

public sealed class DictSpaceTests
{
    // The seed user's SuperTux observation: 4 stacked 64×64 grey frames and 5 float memory features.
    private static DictSpace SuperTux() => new(new Dictionary<string, ISpace>
    {
        ["frames"] = new BoxSpace<byte>(0, 255, 4, 64, 64),
        ["features"] = new BoxSpace<float>(float.NegativeInfinity, float.PositiveInfinity, 5),
    });

    [Fact]
    public void ToString_PrintsTheDictAsGymnasiumDoes_PartsInNameOrder()
    {
        Assert.Equal("Dict('features': Box(-inf, inf, (5,), float32), 'frames': Box(0, 255, (4, 64, 64), uint8))", SuperTux().ToString());
    }

    [Fact]
    public void Layout_PartsSortedByNameAlignedToTheirElementSize_TotalPaddedToTheLargest()
    {
        var space = new DictSpace(new Dictionary<string, ISpace>
        {
            ["c"] = new BoxSpace<double>(0, 1, 2),
            ["a"] = new BoxSpace<byte>(0, 255, 3),
            ["b"] = new BoxSpace<float>(0, 1, 1),
        });

        // a: bytes 0..2; b: float at 4 (3 rounded up to 4); c: doubles at 8; end 24, a multiple of 8.
        Assert.Equal(["a", "b", "c"], space.Parts.Select(p => p.Name));
        Assert.Equal([0, 4, 8], space.Parts.Select(p => p.ByteOffset));
        Assert.Equal([3, 4, 16], space.Parts.Select(p => p.ByteLength));
        Assert.Equal([0, 1, 2], space.Parts.Select(p => p.Index));
        Assert.Equal(24, space.FlatSize);
        Assert.Equal([24], space.Shape);
        Assert.Equal(typeof(byte), space.ElementType);
    }

    [Fact]
    public void Layout_DoesNotDependOnTheOrderThePartsWereListedIn()
    {
        var reversed = new DictSpace(new Dictionary<string, ISpace>
        {
            ["features"] = new BoxSpace<float>(float.NegativeInfinity, float.PositiveInfinity, 5),
            ["frames"] = new BoxSpace<byte>(0, 255, 4, 64, 64),
        });

        Assert.Equal(SuperTux().ToString(), reversed.ToString());
        Assert.Equal(SuperTux().Parts.Select(p => p.ByteOffset), reversed.Parts.Select(p => p.ByteOffset));
        Assert.Equal((5 * 4) + (4 * 64 * 64), reversed.FlatSize);
    }

    [Fact]
    public void GetPart_ViewsThePartsBytesAsItsElementType()
    {
        var space = SuperTux();
        var value = new byte[space.FlatSize];

        space.GetPart<float>(value, "features")[2] = 1.5f;
        space["frames"].Get<byte>(value)[0] = 7;

        Assert.Equal(1.5f, MemoryMarshal.Cast<byte, float>(value.AsSpan(0, 20))[2]);
        Assert.Equal(7, value[20]);
        Assert.Equal(1.5f, space["features"].Read<float>(value)[2]);
    }

    [Fact]
    public void GetPart_WrongElementTypeOrUnknownName_ThrowsNamingThePart()
    {
        var space = SuperTux();
        var value = new byte[space.FlatSize];

        var wrongType = Assert.Throws<ArgumentException>(() => space.GetPart<byte>(value, "features"));
        var unknown = Assert.Throws<KeyNotFoundException>(() => space.GetPart<float>(value, "coins"));
        var wrongLength = Assert.Throws<ArgumentException>(() => space.GetPart<float>(new byte[3], "features"));

        Assert.Contains("'features'", wrongType.Message);
        Assert.Contains("Single", wrongType.Message);
        Assert.Contains("'coins'", unknown.Message);
        Assert.Contains("3", wrongLength.Message);
    }

    [Fact]
    public void Contains_EveryPartInItsSpaceAndZeroPadding()
    {
        var space = new DictSpace(new Dictionary<string, ISpace>
        {
            ["a"] = new BoxSpace<byte>(0, 9, 3),
            ["b"] = new BoxSpace<float>(-1, 1, 2),
        });
        var value = new byte[space.FlatSize];
        Assert.True(space.Contains(value));

        value[1] = 10;
        Assert.False(space.Contains(value));
        value[1] = 9;
        Assert.True(space.Contains(value));

        space["b"].Get<float>(value)[1] = float.NaN;
        Assert.False(space.Contains(value));
        space["b"].Get<float>(value)[1] = 2f;
        Assert.False(space.Contains(value));
        space["b"].Get<float>(value)[1] = -1f;
        Assert.True(space.Contains(value));

        value[3] = 1; // the padding byte between a (3 bytes) and b (aligned to 4)
        Assert.False(space.Contains(value));
        value[3] = 0;
        Assert.False(space.Contains(value.AsSpan(1)));
    }

    [Fact]
    public void Sample_IsAMemberAndDrawsEveryPart()
    {
        var space = SuperTux();
        var value = new byte[space.FlatSize];
        Array.Fill(value, (byte)0xFF);
        var random = new Random(3);

        for (var i = 0; i < 20; i++)
        {
            space.Sample(random, value);
            Assert.True(space.Contains(value));
        }

        Assert.Contains(space["frames"].Get<byte>(value).ToArray(), b => b != 0);
        Assert.All(space["features"].Get<float>(value).ToArray(), f => Assert.NotEqual(0f, f));
    }

    [Fact]
    public void ClearPadding_ZeroesOnlyTheGaps()
    {
        var space = new DictSpace(new Dictionary<string, ISpace> { ["a"] = new BoxSpace<byte>(0, 255, 1), ["b"] = new BoxSpace<double>(0, 1, 1) });
        var value = Enumerable.Repeat((byte)0xAB, space.FlatSize).ToArray();

        space.ClearPadding(value);

        Assert.Equal(0xAB, value[0]);
        Assert.All(value[1..8], b => Assert.Equal(0, b));
        Assert.All(value[8..], b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void Constructor_BadParts_ThrowNamingTheProblem()
    {
        var empty = Assert.Throws<ArgumentException>(() => new DictSpace(new Dictionary<string, ISpace>()));
        var nested = Assert.Throws<ArgumentException>(() => new DictSpace(new Dictionary<string, ISpace> { ["inner"] = SuperTux() }));
        var blank = Assert.Throws<ArgumentException>(() => new DictSpace(new Dictionary<string, ISpace> { [" "] = new DiscreteSpace(2) }));

        Assert.Contains("at least one part", empty.Message);
        Assert.Contains("'inner'", nested.Message);
        Assert.Contains("nest", nested.Message);
        Assert.Contains("' '", blank.Message);
    }

    [Fact]
    public void Parts_MayBeDiscrete()
    {
        var space = new DictSpace(new Dictionary<string, ISpace> { ["lives"] = new DiscreteSpace(3), ["x"] = new BoxSpace<float>(0, 1, 1) });
        var value = new byte[space.FlatSize];

        space["lives"].Get<int>(value)[0] = 3;
        Assert.False(space.Contains(value));
        space["lives"].Get<int>(value)[0] = 2;
        Assert.True(space.Contains(value));
    }
}

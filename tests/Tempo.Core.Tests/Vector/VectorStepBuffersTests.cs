using Tempo.Core.Vector;

namespace Tempo.Core.Tests.Vector;

public sealed class VectorStepBuffersTests
{
    [Fact]
    public void Constructor_SizesEveryBuffer()
    {
        var buffers = new VectorStepBuffers<byte>(numEnvs: 3, observationSize: 5);

        Assert.Equal(15, buffers.Observations.Length);
        Assert.Equal(3, buffers.Rewards.Length);
        Assert.Equal(3, buffers.Terminated.Length);
        Assert.Equal(3, buffers.Truncated.Length);
        Assert.Equal(5, buffers.Observation(2).Length);
    }

    [Fact]
    public void Observation_IsTheEnvsSliceOfTheBatch()
    {
        var buffers = new VectorStepBuffers<float>(numEnvs: 3, observationSize: 2);

        buffers.Observation(1)[1] = 7;

        Assert.Equal(new float[] { 0, 0, 0, 7, 0, 0 }, buffers.Observations.ToArray());
    }

    [Fact]
    public void FreshBuffers_HaveNoFinals()
    {
        var buffers = new VectorStepBuffers<float>(numEnvs: 2, observationSize: 2);

        Assert.False(buffers.HasFinal(0));
        Assert.Null(buffers.FinalEpisode(1));
        Assert.Throws<InvalidOperationException>(() => buffers.FinalObservation(0));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(-1, 4)]
    [InlineData(2, 0)]
    public void Constructor_NonPositiveSizes_Throws(int numEnvs, int observationSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorStepBuffers<float>(numEnvs, observationSize));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Accessors_EnvIndexOutOfRange_ThrowNamingTheIndex(int envIndex)
    {
        var buffers = new VectorStepBuffers<float>(numEnvs: 2, observationSize: 3);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => buffers.Observation(envIndex));
        Assert.Equal(envIndex, error.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffers.HasFinal(envIndex));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffers.FinalObservation(envIndex));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffers.FinalEpisode(envIndex));
    }
}

namespace Tempo.Runtime.Tests.Metrics.TensorBoard;

/// <summary>An Event proto as the test reader decoded it.</summary>
internal sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)>? Values)
{
    public float Value(string tag)
    {
        Assert.NotNull(Values);
        return Assert.Single(Values, value => value.Tag == tag).Value;
    }
}

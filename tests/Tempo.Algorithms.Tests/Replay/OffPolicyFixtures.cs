using System.Text.Json;
using Tempo.Tests.Shared;

namespace Tempo.Algorithms.Tests.Replay;

/// <summary>
/// The off-policy reference fixtures, kept in the repository beside their generator (tests/fixtures/torch/generate_offpolicy.py);
/// TEMPO_TORCH_FIXTURES points them at another set, as it does the other torch fixtures.
/// </summary>
internal static class OffPolicyFixtures
{
    public static JsonDocument Load(string fileName) => FixtureTensor.Load(FixturePaths.Torch, fileName);
}

/// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> returns scripted values, to replay a reference's draws.</summary>
internal sealed class ScriptedRandom(params double[] doubles) : Random
{
    private int _next;

    public override double NextDouble() => doubles[_next++];
}

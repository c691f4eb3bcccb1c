using System.Text.Json;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>One Gymnasium reference file (format in tests/fixtures/README.md): an env id, its time limit, trajectories.</summary>
internal sealed record GymnasiumFixture(string EnvId, int MaxEpisodeSteps, IReadOnlyList<GymnasiumCase> Cases)
{
    public static GymnasiumFixture Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var cases = new List<GymnasiumCase>();
        foreach (var item in root.GetProperty("cases").EnumerateArray())
        {
            var steps = new List<GymnasiumStep>();
            foreach (var step in item.GetProperty("steps").EnumerateArray())
            {
                steps.Add(new GymnasiumStep(
                    Doubles(step.GetProperty("obs")),
                    step.GetProperty("reward").GetDouble(),
                    step.GetProperty("terminated").GetBoolean(),
                    step.GetProperty("truncated").GetBoolean(),
                    Doubles(step.GetProperty("state"))));
            }

            var actions = item.GetProperty("actions").EnumerateArray()
                .Select(a => a.ValueKind == JsonValueKind.Array ? Doubles(a) : [a.GetDouble()])
                .ToArray();
            cases.Add(new GymnasiumCase(
                item.TryGetProperty("seed", out var seed) ? seed.GetInt32() : -1,
                Doubles(item.GetProperty("initial_state")),
                Doubles(item.GetProperty("initial_obs")),
                actions,
                steps));
        }

        return new GymnasiumFixture(root.GetProperty("env_id").GetString()!, root.GetProperty("max_episode_steps").GetInt32(), cases);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(x => x.GetDouble()).ToArray();
}

/// <summary>One reference trajectory: the start state, the actions applied and what Gymnasium returned after each.</summary>
internal sealed record GymnasiumCase(int Seed, double[] InitialState, double[] InitialObservation, double[][] Actions, IReadOnlyList<GymnasiumStep> Steps);

/// <summary>What Gymnasium returned for one step, plus the unwrapped env's state after it.</summary>
internal sealed record GymnasiumStep(double[] Observation, double Reward, bool Terminated, bool Truncated, double[] State);

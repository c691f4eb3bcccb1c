using Tempo.Core.Envs;
using Tempo.Core.Envs.Registry;
using Tempo.Core.Spaces;

namespace CustomEnv;

/// <summary>A corridor of 8 cells: start in the middle, step left or right, reach the right end (+1) before the left end (−1).</summary>
public sealed class Corridor() : Env<float, int>(new BoxSpace<float>(0f, 1f, 1), new DiscreteSpace(2))
{
    private const int Cells = 8;
    private int _position;

    protected override void ResetCore(Span<float> observation) => Observe(_position = Cells / 2, observation);

    protected override StepResult StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        _position += action[0] == 1 ? 1 : -1;
        Observe(_position, observation);
        return _position == Cells - 1 ? new(1f, true, false) : _position == 0 ? new(-1f, true, false) : new(0f, false, false);
    }

    private static void Observe(int position, Span<float> observation) => observation[0] = position / (float)(Cells - 1);
}

/// <summary>Registers the corridor; <c>tempo train --env-assembly CustomEnv.dll --env Corridor-v0</c> finds it too.</summary>
public sealed class CorridorRegistration : IEnvRegistration
{
    public void Register(EnvRegistry registry) => registry.Register(EnvSpec.Create("Corridor-v0", () => new Corridor(), maxEpisodeSteps: 50));
}

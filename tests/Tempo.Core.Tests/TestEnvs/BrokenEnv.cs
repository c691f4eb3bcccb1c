using Tempo.Core.Envs;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;

namespace Tempo.Core.Tests.TestEnvs;

/// <summary>
/// Implements the env contract by hand (not through <see cref="Env{TObservation, TAction}"/>) so that each rule can be
/// broken on purpose. With no flaws it is a correct env: observation [steps/10, seeded noise in [0, 1)] in a [0, 1] box,
/// three actions, reward 1, terminates after 10 steps.
/// </summary>
public sealed class BrokenEnv : IEnv<float, int>
{
    private const int EpisodeLength = 10;

    private readonly BrokenEnvFlaws _flaws;
    private readonly RandomSource _random = new(12345);
    private readonly RandomSource _unseeded = new(67890);
    private readonly BoxSpace<float> _observationSpace = new(0f, 1f, 2);
    private readonly DiscreteSpace? _actionSpace;
    private bool _running;
    private int _steps;
    private float _noise;

    public BrokenEnv(BrokenEnvFlaws flaws)
    {
        _flaws = flaws;
        _actionSpace = Has(BrokenEnvFlaws.NullActionSpace) ? null : new DiscreteSpace(3);
    }

    public Space<float> ObservationSpace => _observationSpace;

    public Space<int> ActionSpace => _actionSpace!;

    ISpace IEnv.ObservationSpace => ObservationSpace;

    ISpace IEnv.ActionSpace => ActionSpace;

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (Has(BrokenEnvFlaws.ThrowsOnReset))
        {
            throw new InvalidOperationException("broken on purpose");
        }

        RequireLength(observation);
        if (seed is { } s && !Has(BrokenEnvFlaws.IgnoresSeed))
        {
            _random.Reseed(s);
        }

        _steps = 0;
        _noise = _random.NextSingle();
        _running = true;
        Write(observation);
        if (Has(BrokenEnvFlaws.ResetObservationOutsideSpace))
        {
            observation[0] = 2f;
        }
    }

    public StepResult Step(ReadOnlySpan<int> action, Span<float> observation)
    {
        if (!_running && !Has(BrokenEnvFlaws.AllowsStepAfterEnd))
        {
            throw new InvalidOperationException("Step called after the episode ended; call Reset first.");
        }

        if (Has(BrokenEnvFlaws.ThrowsOnStep))
        {
            throw new NotSupportedException("broken on purpose");
        }

        RequireLength(observation);
        if (!Has(BrokenEnvFlaws.IgnoresActionLength) && action.Length != 1)
        {
            throw new ArgumentException($"The action has {action.Length} elements; expected 1.", nameof(action));
        }

        // With IgnoresActionLength an empty action fails here with IndexOutOfRangeException, as careless code would.
        var a = action[0];
        if (!Has(BrokenEnvFlaws.AcceptsInvalidAction) && !_actionSpace!.Contains(a))
        {
            throw new ArgumentOutOfRangeException(nameof(action), a, "The action is not in Discrete(3).");
        }

        _steps++;
        if (Has(BrokenEnvFlaws.NondeterministicStep))
        {
            _noise = _unseeded.NextSingle();
        }

        Write(observation);
        if (Has(BrokenEnvFlaws.StepObservationOutsideSpace) && _steps == 3)
        {
            observation[1] = -5f;
        }

        var reward = Has(BrokenEnvFlaws.NaNReward) && _steps == 2 ? float.NaN : 1f;
        var terminated = _steps >= EpisodeLength && !Has(BrokenEnvFlaws.NeverEnds);
        _running = !terminated;
        return new StepResult(reward, terminated, false);
    }

    public void Dispose()
    {
    }

    private bool Has(BrokenEnvFlaws flaw) => (_flaws & flaw) != 0;

    private void RequireLength(Span<float> observation)
    {
        if (!Has(BrokenEnvFlaws.IgnoresObservationLength) && observation.Length != 2)
        {
            throw new ArgumentException($"The observation buffer has {observation.Length} elements; expected 2.", nameof(observation));
        }
    }

    private void Write(Span<float> observation)
    {
        // With IgnoresObservationLength the env writes what fits, silently.
        var values = (stackalloc float[] { Math.Min(_steps / 10f, 1f), _noise });
        var count = Has(BrokenEnvFlaws.LeavesObservationElementUnwritten) ? 1 : Math.Min(values.Length, observation.Length);
        values[..count].CopyTo(observation);
    }
}

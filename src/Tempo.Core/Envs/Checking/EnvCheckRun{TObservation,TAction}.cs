using System.Globalization;
using System.Runtime.InteropServices;
using Tempo.Core.Seeding;
using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Checking;

/// <summary>One run of <see cref="EnvChecker"/> over one env: the checks and the outcome of each.</summary>
/// <remarks>Split in two files: this one runs the episode checks, the other the checks that bad input is rejected.</remarks>
internal sealed partial class EnvCheckRun<TObservation, TAction>
    where TObservation : unmanaged
    where TAction : unmanaged
{
    private const int ShownElements = 8;

    private readonly IEnv<TObservation, TAction> _env;
    private readonly int _seed;
    private readonly EnvCheckOptions _options;
    private readonly EnvCheckOutcomes _outcomes = new();
    private Space<TObservation> _observationSpace = null!;
    private Space<TAction> _actionSpace = null!;

    public EnvCheckRun(IEnv<TObservation, TAction> env, int seed, EnvCheckOptions options)
    {
        _env = env;
        _seed = seed;
        _options = options;
    }

    public EnvCheckReport Run()
    {
        if (CheckSpaces() && CheckReset())
        {
            CheckRollout();
            CheckDeterminism();
            CheckObservationBufferLength();
            CheckActionLength();
            CheckInvalidAction();
        }

        return _outcomes.ToReport(Describe(_env));
    }

    private bool CheckSpaces()
    {
        IEnv untyped = _env;
        _observationSpace = _env.ObservationSpace;
        _actionSpace = _env.ActionSpace;
        if (_observationSpace is null || _actionSpace is null)
        {
            _outcomes.Fail(EnvCheck.Spaces, $"ObservationSpace is {Describe(_observationSpace)} and ActionSpace is {Describe(_actionSpace)}; both must be set.");
            return false;
        }

        if (!SameSpace(untyped.ObservationSpace, _observationSpace) || !SameSpace(untyped.ActionSpace, _actionSpace))
        {
            _outcomes.Fail(
                EnvCheck.Spaces,
                $"The untyped view (IEnv) reports observation space {Describe(untyped.ObservationSpace)} and action space {Describe(untyped.ActionSpace)}, "
                + $"the typed view {_observationSpace} and {_actionSpace}.");
            return false;
        }

        foreach (var space in new ISpace[] { _observationSpace, _actionSpace })
        {
            var product = space.Shape.Aggregate(1L, (p, d) => p * d);
            if (product != space.FlatSize)
            {
                _outcomes.Fail(EnvCheck.Spaces, $"The space {space} has shape ({string.Join(", ", space.Shape)}) but FlatSize {space.FlatSize}.");
                return false;
            }
        }

        _outcomes.Pass(EnvCheck.Spaces);
        return true;
    }

    private bool CheckReset()
    {
        var observation = NewObservation();
        try
        {
            _env.Reset(observation, _seed);
        }
        catch (Exception e) when (IsEnvFault(e))
        {
            _outcomes.Fail(EnvCheck.Reset, $"Reset(seed: {_seed}) with a buffer of {observation.Length} elements threw {Describe(e)}");
            return false;
        }

        _outcomes.Pass(EnvCheck.Reset);
        if (_observationSpace.Contains(observation))
        {
            _outcomes.Pass(EnvCheck.ResetObservationInSpace);
        }
        else
        {
            _outcomes.Fail(EnvCheck.ResetObservationInSpace, $"The reset observation {Format(observation)} is not in {_observationSpace} (NaN marks elements never written).");
        }

        return true;
    }

    private void CheckRollout()
    {
        var random = new RandomSource(_seed);
        var observation = NewObservation();
        var action = new TAction[_actionSpace.FlatSize];
        if (!TryReset(observation, _seed, EnvCheck.Reset))
        {
            return;
        }

        var steps = 0;
        string? outside = null;
        string? nonFinite = null;
        var stepAfterEndChecked = false;
        for (var t = 0; t < _options.RolloutSteps; t++)
        {
            _actionSpace.Sample(random, action);
            MarkUnwritten(observation);
            StepResult result;
            try
            {
                result = _env.Step(action, observation);
            }
            catch (Exception e) when (IsEnvFault(e))
            {
                _outcomes.Fail(EnvCheck.Step, $"Step {t + 1} with action {Format(action)} (sampled from {_actionSpace}) threw {Describe(e)}");
                break;
            }

            steps++;
            if (outside is null && !_observationSpace.Contains(observation))
            {
                outside = $"Step {t + 1} wrote the observation {Format(observation)}, which is not in {_observationSpace} (NaN marks elements never written).";
            }

            if (nonFinite is null && !float.IsFinite(result.Reward))
            {
                nonFinite = $"Step {t + 1} returned the reward {result.Reward.ToString(CultureInfo.InvariantCulture)}.";
            }

            if (result.IsDone)
            {
                if (!stepAfterEndChecked)
                {
                    stepAfterEndChecked = true;
                    CheckStepAfterEnd(random, result);
                }

                if (!TryReset(observation, seed: null, EnvCheck.Step))
                {
                    break;
                }
            }
        }

        if (steps == 0)
        {
            _outcomes.Skip(EnvCheck.StepObservationInSpace, "no step succeeded");
            _outcomes.Skip(EnvCheck.FiniteReward, "no step succeeded");
        }
        else
        {
            _outcomes.PassOrFail(EnvCheck.StepObservationInSpace, outside);
            _outcomes.PassOrFail(EnvCheck.FiniteReward, nonFinite);
        }

        _outcomes.Pass(EnvCheck.Step);
        _outcomes.Skip(EnvCheck.StepAfterEpisodeEnd, $"no episode ended within {steps} steps; raise {nameof(EnvCheckOptions.RolloutSteps)} or add a time limit");
    }

    private void CheckStepAfterEnd(Random random, StepResult last)
    {
        var observation = NewObservation();
        var action = new TAction[_actionSpace.FlatSize];
        _actionSpace.Sample(random, action);
        var problem = Expect<InvalidOperationException>(
            () => _env.Step(action, observation),
            $"Step after the episode ended (terminated={last.Terminated}, truncated={last.Truncated})");
        _outcomes.PassOrFail(EnvCheck.StepAfterEpisodeEnd, problem);
    }

    private void CheckDeterminism()
    {
        var actionSize = _actionSpace.FlatSize;
        var actions = new TAction[_options.DeterminismSteps * actionSize];
        var random = new RandomSource(RandomSource.DeriveSeed(_seed, stream: 1));
        for (var t = 0; t < _options.DeterminismSteps; t++)
        {
            _actionSpace.Sample(random, actions.AsSpan(t * actionSize, actionSize));
        }

        if (!TryRoll(actions, out var first) || !TryRoll(actions, out var second))
        {
            return;
        }

        _outcomes.PassOrFail(
            EnvCheck.ResetDeterminism,
            SameBits(first.ResetObservation, second.ResetObservation)
                ? null
                : $"Reset(seed: {_seed}) gave {Format(first.ResetObservation)}, then {Format(second.ResetObservation)}.");

        string? difference = null;
        for (var t = 0; t < Math.Max(first.Steps.Count, second.Steps.Count) && difference is null; t++)
        {
            if (t >= first.Steps.Count || t >= second.Steps.Count)
            {
                difference = $"One replay ended after {first.Steps.Count} steps, the other after {second.Steps.Count}.";
            }
            else if (!SameOutcome(first.Steps[t].Result, second.Steps[t].Result))
            {
                difference = $"Step {t + 1} returned {Format(first.Steps[t].Result)}, then {Format(second.Steps[t].Result)}.";
            }
            else if (!SameBits(first.Steps[t].Observation, second.Steps[t].Observation))
            {
                difference = $"Step {t + 1} wrote {Format(first.Steps[t].Observation)}, then {Format(second.Steps[t].Observation)}.";
            }
        }

        _outcomes.PassOrFail(EnvCheck.TrajectoryDeterminism, difference);
    }

    private bool TryRoll(TAction[] actions, out Trajectory trajectory)
    {
        var resetObservation = NewObservation();
        var steps = new List<(TObservation[] Observation, StepResult Result)>();
        trajectory = new Trajectory(resetObservation, steps);
        if (!TryReset(resetObservation, _seed, EnvCheck.ResetDeterminism))
        {
            _outcomes.Skip(EnvCheck.TrajectoryDeterminism, "Reset failed");
            return false;
        }

        var actionSize = _actionSpace.FlatSize;
        for (var t = 0; t < _options.DeterminismSteps; t++)
        {
            var observation = NewObservation();
            StepResult result;
            try
            {
                result = _env.Step(actions.AsSpan(t * actionSize, actionSize), observation);
            }
            catch (Exception e) when (IsEnvFault(e))
            {
                _outcomes.Fail(EnvCheck.Step, $"Step {t + 1} of a seeded replay threw {Describe(e)}");
                _outcomes.Skip(EnvCheck.TrajectoryDeterminism, "a step of the replay threw");
                return false;
            }

            steps.Add((observation, result));
            if (result.IsDone)
            {
                break;
            }
        }

        return true;
    }

    private TAction[] SampleAction()
    {
        var action = new TAction[_actionSpace.FlatSize];
        _actionSpace.Sample(new RandomSource(_seed), action);
        return action;
    }

    private bool TryReset(TObservation[] observation, int? seed, EnvCheck check)
    {
        try
        {
            _env.Reset(observation, seed);
            return true;
        }
        catch (Exception e) when (IsEnvFault(e))
        {
            _outcomes.Fail(check, $"Reset(seed: {seed?.ToString(CultureInfo.InvariantCulture) ?? "null"}) threw {Describe(e)}");
            return false;
        }
    }

    private static string? Expect<TException>(Action call, string what)
        where TException : Exception
    {
        try
        {
            call();
        }
        catch (TException)
        {
            return null;
        }
        catch (Exception e) when (IsEnvFault(e))
        {
            return $"{what} threw {e.GetType().Name} instead of {typeof(TException).Name}: {e.Message}";
        }

        return $"{what} returned instead of throwing {typeof(TException).Name}.";
    }

    // Everything the env throws is its own fault, except what no check should swallow.
    private static bool IsEnvFault(Exception e) => e is not (OutOfMemoryException or StackOverflowException);

    private TObservation[] NewObservation()
    {
        var observation = new TObservation[_observationSpace.FlatSize];
        MarkUnwritten(observation);
        return observation;
    }

    // NaN lies outside every box, so an element the env forgets to write shows up as outside the space.
    private static void MarkUnwritten(Span<TObservation> observation)
    {
        if (typeof(TObservation) == typeof(float))
        {
            MemoryMarshal.Cast<TObservation, float>(observation).Fill(float.NaN);
        }
        else if (typeof(TObservation) == typeof(double))
        {
            MemoryMarshal.Cast<TObservation, double>(observation).Fill(double.NaN);
        }
    }

    private static bool SameBits<T>(T[] a, T[] b)
        where T : unmanaged =>
        MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));

    // Typed extras such as the episode's wall time may legitimately differ between replays.
    private static bool SameOutcome(StepResult a, StepResult b) =>
        a.Reward.Equals(b.Reward) && a.Terminated == b.Terminated && a.Truncated == b.Truncated;

    private static bool SameSpace(ISpace? a, ISpace b) =>
        a is not null && a.FlatSize == b.FlatSize && a.ElementType == b.ElementType && a.Shape.SequenceEqual(b.Shape);

    private static string Format<T>(T[] values)
    {
        var shown = values.Take(ShownElements).Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v));
        var more = values.Length > ShownElements ? $", … ({values.Length} elements)" : string.Empty;
        return $"[{string.Join(", ", shown)}{more}]";
    }

    private static string Format(StepResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"(reward {result.Reward}, terminated {result.Terminated}, truncated {result.Truncated})");

    private static string Describe(object? value) => value?.ToString() ?? "null";

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private sealed record Trajectory(TObservation[] ResetObservation, List<(TObservation[] Observation, StepResult Result)> Steps);
}

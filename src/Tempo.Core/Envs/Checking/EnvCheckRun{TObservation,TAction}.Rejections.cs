using System.Runtime.InteropServices;
using Tempo.Core.Spaces;

namespace Tempo.Core.Envs.Checking;

/// <content>The checks that an env rejects bad input: wrong buffer and action lengths, invalid actions.</content>
internal sealed partial class EnvCheckRun<TObservation, TAction>
{
    private void CheckObservationBufferLength()
    {
        var size = _observationSpace.FlatSize;
        var action = SampleAction();
        var problems = new List<string>();
        foreach (var wrongSize in WrongLengths(size))
        {
            AddIfAny(problems, Expect<ArgumentException>(
                () => _env.Reset(new TObservation[wrongSize], _seed),
                $"Reset with an observation buffer of {wrongSize} elements (the space needs {size})"));
            if (TryReset(NewObservation(), _seed, EnvCheck.ObservationBufferLength))
            {
                AddIfAny(problems, Expect<ArgumentException>(
                    () => _env.Step(action, new TObservation[wrongSize]),
                    $"Step with an observation buffer of {wrongSize} elements (the space needs {size})"));
            }
        }

        _outcomes.PassOrFail(EnvCheck.ObservationBufferLength, problems);
    }

    private void CheckActionLength()
    {
        var size = _actionSpace.FlatSize;
        var valid = SampleAction();
        var problems = new List<string>();
        foreach (var wrongSize in WrongLengths(size))
        {
            var action = new TAction[wrongSize];
            for (var i = 0; i < wrongSize; i++)
            {
                action[i] = valid[i % size];
            }

            if (TryReset(NewObservation(), _seed, EnvCheck.ActionLength))
            {
                AddIfAny(problems, Expect<ArgumentException>(
                    () => _env.Step(action, NewObservation()),
                    $"Step with an action of {wrongSize} elements (the space {_actionSpace} needs {size})"));
            }
        }

        _outcomes.PassOrFail(EnvCheck.ActionLength, problems);
    }

    private void CheckInvalidAction()
    {
        var invalidActions = new List<TAction[]>();
        switch (_actionSpace)
        {
            case DiscreteSpace discrete:
                invalidActions.Add(IntAction([discrete.Start + discrete.N]));
                invalidActions.Add(IntAction([discrete.Start - 1]));
                break;
            case MultiDiscreteSpace multiDiscrete:
                var tooLarge = new int[multiDiscrete.FlatSize];
                tooLarge[0] = multiDiscrete.Nvec[0];
                var negative = new int[multiDiscrete.FlatSize];
                negative[^1] = -1;
                invalidActions.Add(IntAction(tooLarge));
                invalidActions.Add(IntAction(negative));
                break;
            case BoxSpace<float> box:
                var nan = new TAction[box.FlatSize];
                MemoryMarshal.Cast<TAction, float>(nan.AsSpan()).Fill(float.NaN);
                invalidActions.Add(nan);
                break;
            default:
                _outcomes.Skip(EnvCheck.InvalidAction, $"no invalid action is defined for {_actionSpace}");
                return;
        }

        var problems = new List<string>();
        foreach (var action in invalidActions)
        {
            if (TryReset(NewObservation(), _seed, EnvCheck.InvalidAction))
            {
                AddIfAny(problems, Expect<ArgumentException>(
                    () => _env.Step(action, NewObservation()),
                    $"Step with the action {Format(action)}, outside {_actionSpace},"));
            }
        }

        _outcomes.PassOrFail(EnvCheck.InvalidAction, problems);
    }

    private static void AddIfAny(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }

    private static TAction[] IntAction(int[] values) => MemoryMarshal.Cast<int, TAction>(values).ToArray();

    private static IEnumerable<int> WrongLengths(int size) => size > 1 ? [size + 1, size - 1] : [size + 1, 0];
}

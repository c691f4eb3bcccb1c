using Tempo.Algorithms.Experience;
using Tempo.Algorithms.Policies;

namespace Tempo.Algorithms.Tests.TestDoubles;

/// <summary>Segments filled by hand for a <see cref="TabularActorCritic"/>: every observation is a distinct state id.</summary>
internal static class HandSegments
{
    /// <summary>State id of step <paramref name="step"/> of env <paramref name="env"/>: <c>step · envs + env</c>.</summary>
    public static int State(int step, int env, int envs) => (step * envs) + env;

    /// <summary>State id of env <paramref name="env"/>'s bootstrap observation: right after the steps' ids.</summary>
    public static int BootstrapState(int env, int steps, int envs) => (steps * envs) + env;

    /// <summary>States a model needs for a segment of this shape plus <paramref name="extra"/> more (for final observations).</summary>
    public static int StateCount(int steps, int envs, int extra = 0) => ((steps + 1) * envs) + extra;

    /// <summary>A segment whose every step observes its own state id, takes action 0 and is rewarded <c>reward(t, i)</c>.</summary>
    public static Segment<float, int> Create(int steps, int envs, Func<int, int, float> reward, PolicyVersion version = default)
    {
        var segment = new Segment<float, int>(new SegmentLayout(steps, envs, 1, 1)) { BehaviourVersion = version };
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < envs; i++)
            {
                var k = (t * envs) + i;
                segment.Observations[k] = State(t, i, envs);
                segment.Rewards[k] = reward(t, i);
            }
        }

        for (var i = 0; i < envs; i++)
        {
            segment.BootstrapObservations[i] = BootstrapState(i, steps, envs);
        }

        return segment;
    }

    /// <summary>Records <paramref name="model"/>'s own log-probabilities and values as the behaviour policy's (μ = π).</summary>
    public static void ActOnPolicy(Segment<float, int> segment, TabularActorCritic model)
    {
        for (var k = 0; k < segment.Layout.Transitions; k++)
        {
            var state = (int)segment.Observations[k];
            segment.BehaviourLogProbs[k] = model.LogProb(state, segment.Actions[k]);
            segment.BehaviourValues[k] = model.Value(state);
        }
    }

    /// <summary>Marks step <paramref name="step"/> of env <paramref name="env"/> truncated, cut at state <paramref name="finalState"/>.</summary>
    public static void Truncate(Segment<float, int> segment, int step, int env, int finalState)
    {
        var k = (step * segment.Layout.Envs) + env;
        segment.Truncated[k] = true;
        segment.FinalObservations[k] = finalState;
    }

    /// <summary>Marks step <paramref name="step"/> of env <paramref name="env"/> terminated.</summary>
    public static void Terminate(Segment<float, int> segment, int step, int env) =>
        segment.Terminated[(step * segment.Layout.Envs) + env] = true;

    /// <summary>Naive reference: the discounted rewards to the end of the episode or segment, bootstrapped from V at a truncation or the segment's tail.</summary>
    public static float[] BootstrappedReturns(Segment<float, int> segment, TabularActorCritic model, float gamma)
    {
        var (steps, envs) = (segment.Layout.Steps, segment.Layout.Envs);
        var returns = new float[steps * envs];
        for (var i = 0; i < envs; i++)
        {
            for (var t = 0; t < steps; t++)
            {
                double total = 0, discount = 1;
                for (var k = t; ; k++)
                {
                    if (k == steps)
                    {
                        total += discount * model.Value((int)segment.BootstrapObservations[i]);
                        break;
                    }

                    var index = (k * envs) + i;
                    total += discount * segment.Rewards[index];
                    if (segment.Terminated[index])
                    {
                        break;
                    }

                    if (segment.Truncated[index])
                    {
                        total += discount * gamma * model.Value((int)segment.FinalObservations[index]);
                        break;
                    }

                    discount *= gamma;
                }

                returns[(t * envs) + i] = (float)total;
            }
        }

        return returns;
    }
}

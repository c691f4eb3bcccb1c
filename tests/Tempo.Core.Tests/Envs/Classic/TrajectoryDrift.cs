using Tempo.Core.Envs;
using Tempo.Core.Envs.Classic;

namespace Tempo.Core.Tests.Envs.Classic;

/// <summary>
/// How far a free-running replay may drift from Gymnasium's recorded trajectory, derived from the one-step discrepancy
/// the transition check holds (a few float64 ulps per state variable) and the dynamics' own sensitivity.
/// </summary>
/// <remarks>
/// With Gymnasium's states s_t and ours ŝ_t = s_t + e_t (e_0 = 0: both start from the recorded float64 state), one step
/// gives e_(t+1) = F(ŝ_t) − F_gym(s_t) = [F(ŝ_t) − F(s_t)] + [F(s_t) − F_gym(s_t)] ≈ J_t·e_t + δ_t, where J_t is the
/// step's Jacobian at Gymnasium's state and |δ_t| ≤ ε_t componentwise is the transition check's tolerance at s_(t+1).
/// So e_t = Σ_k J_(t−1)…J_(k+1)·δ_k and |e_t| ≤ Σ_k |J_(t−1)…J_(k+1)|·ε_k componentwise, which this class computes
/// (the products are kept signed, so a contracting direction earns its contraction even in a chaotic system).
/// J is taken by central differences of our own step (it matches Gymnasium's step to a few ulps, so its differences
/// match Gymnasium's to ~ulp/h ≈ 1e-10 relative); the linearization holds while the bound is small against the scale
/// on which the dynamics bend (second-order terms are |F''|·e², below the first-order ones while e ≪ 1). It does not
/// hold at a switch (a clip, MountainCar's wall, a termination threshold) that Gymnasium's state passes within the
/// bound; the replay then fails on that step's branch, which the transition check pins down separately.
/// </remarks>
internal static class TrajectoryDrift
{
    /// <summary>Relative step of the central differences: large against float64 rounding, small against the dynamics' curvature.</summary>
    private const double RelativeStep = 1.0 / (1 << 20);

    /// <summary>
    /// Per step t of <paramref name="testCase"/>, a bound on how far each of our state variables after that step may be
    /// from Gymnasium's, given that one step from Gymnasium's state lands within <paramref name="stepTolerance"/>(x) of
    /// Gymnasium's next state x (per variable).
    /// </summary>
    public static double[][] StateBounds<TAction>(IEnv<float, TAction> env, GymnasiumCase testCase, Func<double[], TAction> toAction, Func<double, double> stepTolerance)
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(toAction);
        ArgumentNullException.ThrowIfNull(stepTolerance);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: testCase.Seed);
        var inner = (IEnv<float, TAction>)env.Unwrapped();
        var physics = (IPhysicalState)inner;
        var n = physics.StateLength;

        // propagators[k] = J_(t−1)…J_(k+1): how the discrepancy made by step k has been carried to the current step.
        var propagators = new List<double[,]>();
        var tolerances = new List<double[]>();
        var bounds = new double[testCase.Steps.Count][];
        var state = testCase.InitialState;
        for (var t = 0; t < testCase.Steps.Count; t++)
        {
            var jacobian = Jacobian(inner, physics, state, toAction(testCase.Actions[t]), observation);
            for (var k = 0; k < propagators.Count; k++)
            {
                propagators[k] = Multiply(jacobian, propagators[k]);
            }

            state = testCase.Steps[t].State;
            propagators.Add(Identity(n));
            tolerances.Add([.. state.Select(stepTolerance)]);

            var bound = new double[n];
            for (var k = 0; k < propagators.Count; k++)
            {
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        bound[i] += Math.Abs(propagators[k][i, j]) * tolerances[k][j];
                    }
                }
            }

            bounds[t] = bound;
        }

        return bounds;
    }

    /// <summary>∂F(s, a)/∂s by central differences of our step.</summary>
    private static double[,] Jacobian<TAction>(IEnv<float, TAction> env, IPhysicalState physics, double[] state, TAction action, float[] observation)
        where TAction : unmanaged
    {
        var n = state.Length;
        var jacobian = new double[n, n];
        var probe = new double[n];
        var plus = new double[n];
        var minus = new double[n];
        for (var j = 0; j < n; j++)
        {
            var h = RelativeStep * Math.Max(Math.Abs(state[j]), 1.0);
            state.CopyTo(probe, 0);
            probe[j] = state[j] + h;
            StepFrom(env, physics, probe, action, observation, plus);
            probe[j] = state[j] - h;
            StepFrom(env, physics, probe, action, observation, minus);
            for (var i = 0; i < n; i++)
            {
                jacobian[i, j] = WrappedDifference(plus[i] - minus[i]) / (2 * h);
            }
        }

        return jacobian;
    }

    /// <summary>One step from <paramref name="state"/>; the reset first lets it follow a probe that ended an episode.</summary>
    private static void StepFrom<TAction>(IEnv<float, TAction> env, IPhysicalState physics, double[] state, TAction action, float[] observation, double[] next)
        where TAction : unmanaged
    {
        env.Reset(observation);
        physics.SetState(state, observation);
        env.Step([action], observation);
        physics.GetState(next);
    }

    /// <summary>
    /// A difference reduced modulo 2π: one step moves no variable by π per 2^-19 of another unless it wraps (Acrobot's
    /// angles live in [−π, π]), so only a wrap makes a difference this large.
    /// </summary>
    private static double WrappedDifference(double difference) =>
        Math.Abs(difference) > Math.PI ? difference - (2 * Math.PI * Math.Round(difference / (2 * Math.PI))) : difference;

    private static double[,] Identity(int n)
    {
        var identity = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            identity[i, i] = 1;
        }

        return identity;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var product = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++)
                {
                    product[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return product;
    }
}

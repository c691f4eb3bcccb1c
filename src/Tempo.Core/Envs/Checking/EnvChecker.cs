namespace Tempo.Core.Envs.Checking;

/// <summary>Checks an env against the env contract, as Gymnasium's <c>check_env</c> does.</summary>
/// <remarks>
/// The checks (<see cref="EnvCheck"/>): spaces present; reset and step observations in the observation space;
/// finite rewards; reset-seed determinism and a replayed trajectory; Step after the episode's end throws;
/// buffers and actions of the wrong length throw; invalid actions throw. The env is reset and stepped many
/// times (random actions drawn from a source seeded with the given seed) and left undisposed; use a fresh
/// env afterwards. Works on any element types (float or byte observations, int or float actions).
/// </remarks>
public static class EnvChecker
{
    /// <summary>Runs every check on <paramref name="env"/> and reports what passed, failed or was skipped.</summary>
    /// <param name="env">The env to check; it is used, not disposed.</param>
    /// <param name="seed">The seed for the env's resets and for the random actions.</param>
    /// <param name="options">Step budgets; the defaults suit envs whose episodes end within 1000 steps.</param>
    public static EnvCheckReport Check<TObservation, TAction>(IEnv<TObservation, TAction> env, int seed = 0, EnvCheckOptions? options = null)
        where TObservation : unmanaged
        where TAction : unmanaged
    {
        ArgumentNullException.ThrowIfNull(env);
        options ??= new EnvCheckOptions();
        options.Validate();
        return new EnvCheckRun<TObservation, TAction>(env, seed, options).Run();
    }
}

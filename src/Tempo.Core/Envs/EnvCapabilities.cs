namespace Tempo.Core.Envs;

/// <summary>Finds optional capabilities (rendering, pausing, …) anywhere in a stack of wrappers.</summary>
public static class EnvCapabilities
{
    /// <summary>Returns the outermost env in the wrapper chain that implements <typeparamref name="TCapability"/>.</summary>
    public static bool TryFind<TCapability>(this IEnv env, out TCapability capability)
        where TCapability : class
    {
        ArgumentNullException.ThrowIfNull(env);
        for (IEnv? current = env; current is not null; current = (current as IEnvWrapper)?.Inner)
        {
            if (current is TCapability found)
            {
                capability = found;
                return true;
            }
        }

        capability = null!;
        return false;
    }

    /// <summary>Returns the innermost env, the one no wrapper wraps.</summary>
    public static IEnv Unwrapped(this IEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        while (env is IEnvWrapper wrapper)
        {
            env = wrapper.Inner;
        }

        return env;
    }
}

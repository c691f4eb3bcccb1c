namespace Tempo.Core.Envs.Registry;

/// <summary>Registers a user assembly's envs; <see cref="EnvRegistry.RegisterFrom"/> finds every public implementation with a parameterless constructor and calls it.</summary>
/// <remarks>This is how <c>tempo train --env-assembly PATH</c> and <c>tempo eval --env-assembly PATH</c> learn envs the CLI was not built with.</remarks>
public interface IEnvRegistration
{
    /// <summary>Adds this assembly's env specs to <paramref name="registry"/>.</summary>
    void Register(EnvRegistry registry);
}

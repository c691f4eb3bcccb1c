namespace Tempo.Core.Envs;

/// <summary>An environment that decorates another; lets callers reach capabilities of the inner env.</summary>
public interface IEnvWrapper : IEnv
{
    /// <summary>The environment this one wraps.</summary>
    IEnv Inner { get; }
}

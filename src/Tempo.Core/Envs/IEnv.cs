using Tempo.Core.Spaces;

namespace Tempo.Core.Envs;

/// <summary>The element-type-independent view of an environment: what it observes and accepts.</summary>
public interface IEnv : IDisposable
{
    /// <summary>The space every observation belongs to.</summary>
    ISpace ObservationSpace { get; }

    /// <summary>The space every action must belong to.</summary>
    ISpace ActionSpace { get; }
}

namespace Tempo.Core.Envs.Classic;

/// <summary>How <see cref="CartPole"/> integrates its equations of motion (Gymnasium's <c>kinematics_integrator</c>).</summary>
public enum CartPoleIntegrator
{
    /// <summary>Explicit Euler: positions advance with the old velocities (Gymnasium's default, <c>"euler"</c>).</summary>
    Euler,

    /// <summary>Semi-implicit Euler: velocities first, then positions with the new velocities.</summary>
    SemiImplicitEuler,
}

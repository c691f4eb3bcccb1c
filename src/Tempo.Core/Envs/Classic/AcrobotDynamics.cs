namespace Tempo.Core.Envs.Classic;

/// <summary>Which equations of motion <see cref="Acrobot"/> uses (Gymnasium's <c>book_or_nips</c>).</summary>
public enum AcrobotDynamics
{
    /// <summary>Sutton and Barto's book (and its Java implementation): Gymnasium's default, <c>"book"</c>.</summary>
    Book,

    /// <summary>Sutton's 1996 NIPS paper, which omits one term of the second joint's acceleration.</summary>
    Nips,
}

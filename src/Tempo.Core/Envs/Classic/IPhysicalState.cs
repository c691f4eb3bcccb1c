namespace Tempo.Core.Envs.Classic;

/// <summary>Test access to a classic-control env's internal float64 state, in Gymnasium's order.</summary>
/// <remarks>Lets parity tests start from a reference trajectory's exact state and compare states step by step.</remarks>
internal interface IPhysicalState
{
    /// <summary>Number of state variables (Gymnasium's <c>len(env.unwrapped.state)</c>).</summary>
    int StateLength { get; }

    /// <summary>Replaces the state and writes the observation Gymnasium would return for it.</summary>
    void SetState(ReadOnlySpan<double> state, Span<float> observation);

    /// <summary>Copies the current state into <paramref name="state"/>.</summary>
    void GetState(Span<double> state);
}

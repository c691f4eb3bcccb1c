namespace Tempo.Core.Tests.TestEnvs;

/// <summary>Contract violations a <see cref="BrokenEnv"/> can be built with, one per env-checker rule.</summary>
[Flags]
public enum BrokenEnvFlaws
{
    None = 0,
    NullActionSpace = 1 << 0,
    ThrowsOnReset = 1 << 1,
    ResetObservationOutsideSpace = 1 << 2,
    LeavesObservationElementUnwritten = 1 << 3,
    StepObservationOutsideSpace = 1 << 4,
    NaNReward = 1 << 5,
    IgnoresSeed = 1 << 6,
    NondeterministicStep = 1 << 7,
    AllowsStepAfterEnd = 1 << 8,
    IgnoresObservationLength = 1 << 9,
    IgnoresActionLength = 1 << 10,
    AcceptsInvalidAction = 1 << 11,
    NeverEnds = 1 << 12,
    ThrowsOnStep = 1 << 13,
}

namespace Tempo.Runtime.Bench;

/// <summary>What <see cref="MachineBench"/> measured on this machine; every time is a median over samples.</summary>
/// <param name="CpuModel">The processor's brand string.</param>
/// <param name="Cpu">The CPU as the kernels see it: vendor, family/model, vector width, caches.</param>
/// <param name="Kernels">The kernels chosen for it (<see cref="Nn.Kernels.Selection.KernelSelection.Describe"/>).</param>
/// <param name="LogicalProcessors">Processors the process may use.</param>
/// <param name="LoadAverage">The 1-minute load average when the bench started, where the OS reports one (figures taken under load are lower bounds).</param>
/// <param name="Quick">Whether this was the few-iteration mode (shape only; the figures are rough).</param>
/// <param name="FmaPeakGflopsPerCore">The fp32 FMA peak of one core (best of short samples of a register-only loop).</param>
/// <param name="Gemm">SGEMM rates per shape and thread count.</param>
/// <param name="MlpActBatch1Microseconds">One acting step of CleanRL's CartPole agent at batch 1: actor and critic (4-64-64-2 and 4-64-64-1, tanh) forward, then the greedy action, its log-prob and the value.</param>
/// <param name="PpoUpdateBatch128">One PPO minibatch update of that agent (forward, loss, backward, clip, Adam) at batch 128, per thread count.</param>
/// <param name="NatureCnnUpdateBatch256">One Nature-CNN (4×84×84) update (forward, backward, clip, Adam) at batch 256, per thread count.</param>
/// <param name="CartPole">PPO with CleanRL's settings on CartPole-v1, seed 1, until the last-20 mean return reaches 475.</param>
public sealed record MachineBenchReport(
    string CpuModel,
    string Cpu,
    string Kernels,
    int LogicalProcessors,
    double? LoadAverage,
    bool Quick,
    double FmaPeakGflopsPerCore,
    IReadOnlyList<GemmFigure> Gemm,
    double MlpActBatch1Microseconds,
    IReadOnlyList<ThreadedTime> PpoUpdateBatch128,
    IReadOnlyList<ThreadedTime> NatureCnnUpdateBatch256,
    CartPoleFigure CartPole);

/// <summary>One SGEMM case.</summary>
/// <param name="Shape">Op letters and sizes, e.g. "NN 1024x1024x1024" (M×K×N; T = stored transposed).</param>
/// <param name="Threads">Threads per call.</param>
/// <param name="Gflops">Median rate.</param>
/// <param name="PercentOfPeak">The rate as a percentage of <c>threads ×</c> the per-core FMA peak.</param>
public sealed record GemmFigure(string Shape, int Threads, double Gflops, double PercentOfPeak);

/// <summary>A median time per call on a number of kernel threads.</summary>
/// <param name="Threads">Kernel threads given to the model.</param>
/// <param name="Microseconds">Median time per call.</param>
public sealed record ThreadedTime(int Threads, double Microseconds);

/// <summary>The CartPole training figure.</summary>
/// <param name="Solved">Whether the last-20 mean return reached the target within the step budget.</param>
/// <param name="Steps">Env steps when solved (or at the end of the budget).</param>
/// <param name="WallSeconds">Training wall time when solved (or at the end), JIT included.</param>
/// <param name="StepBudget">The step budget.</param>
public sealed record CartPoleFigure(bool Solved, long Steps, double WallSeconds, long StepBudget);

using Tempo.Core.Envs;
using Tempo.Core.Tests.Vector.TestEnvs;
using Tempo.Core.Vector;

namespace Tempo.Core.Tests.Vector;

public sealed class SyncVectorEnvTests : VectorEnvContractTests
{
    protected override IVectorEnv<float, int> Create(IReadOnlyList<IEnv<float, int>> envs) => new SyncVectorEnv<float, int>(envs);

    [Fact]
    public void Step_RunsEveryEnvOnTheCallingThread()
    {
        var envs = Enumerable.Range(0, NumEnvs).Select(_ => new ThreadRecordingEnv(new ScriptedEnv())).ToArray();
        using var vector = Create(envs);
        var buffers = vector.CreateBuffers();
        vector.Reset(buffers, seed: 0);
        Step(vector, buffers, action: 0, times: 10);

        Assert.All(envs, env => Assert.Equal([Thread.CurrentThread], env.Threads));
    }
}

using System.Diagnostics;

namespace Tempo.Core.Tests.Envs.Live;

/// <summary>Polls a condition that a background thread will make true, failing only after a long timeout.</summary>
internal static class Eventually
{
    public static void True(Func<bool> condition, string what, double timeoutSeconds = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                Assert.Fail($"Timed out after {timeoutSeconds} s waiting for: {what}.");
            }

            Thread.Sleep(1);
        }
    }
}

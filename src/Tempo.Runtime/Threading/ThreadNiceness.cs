using System.Runtime.InteropServices;

namespace Tempo.Runtime.Threading;

/// <summary>Lowers the calling thread's CPU scheduling priority, where the operating system lets a process do so.</summary>
/// <remarks>
/// .NET's <see cref="Thread.Priority"/> has no effect on Linux, where a thread's share of a contended core follows its
/// nice value. Any process may raise the nice value of its own threads (lower their priority); lowering it again needs
/// privilege. So instead of raising the actors, Tempo lowers the threads that must give way: at nice 10 the scheduler
/// gives a contended core to a nice-0 actor about nine times as often. Elsewhere, and when the call is refused, this
/// does nothing, and <see cref="Thread.Priority"/> remains the only hint.
/// </remarks>
internal readonly partial struct ThreadNiceness : IDisposable
{
    /// <summary>The nice value the learner runs at while actors act.</summary>
    public const int Learner = 10;

    /// <summary>The nice value of background work nobody waits for (checkpoint writing).</summary>
    public const int Background = 19;

    private const int PriorityProcess = 0;

    private readonly int _threadId;
    private readonly int _previous;
    private readonly bool _changed;

    private ThreadNiceness(int threadId, int previous)
    {
        _threadId = threadId;
        _previous = previous;
        _changed = true;
    }

    /// <summary>The calling thread's nice value, or null where there is none to read.</summary>
    public static int? Current()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // getpriority can return −1 as a value, so errno tells failure apart.
        Marshal.SetLastPInvokeError(0);
        var value = GetPriority(PriorityProcess, GetThreadId());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    /// <summary>Raises the calling thread's nice value to <paramref name="niceness"/> if it is lower; disposing puts it back when allowed.</summary>
    public static ThreadNiceness Lower(int niceness)
    {
        if (Current() is not { } previous || previous >= niceness)
        {
            return default;
        }

        var threadId = GetThreadId();
        return SetPriority(PriorityProcess, threadId, niceness) == 0 ? new ThreadNiceness(threadId, previous) : default;
    }

    /// <summary>Restores the previous nice value; without privilege the kernel refuses and the thread stays lowered.</summary>
    public void Dispose()
    {
        if (_changed)
        {
            _ = SetPriority(PriorityProcess, _threadId, _previous);
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}

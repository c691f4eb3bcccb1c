using System.Runtime.InteropServices;

namespace Tempo.Games.Native;

/// <summary>The libc calls the Linux back ends use: System V shared memory and signals.</summary>
internal static partial class LibC
{
    private const string Lib = "libc";

    public const int IpcPrivate = 0;
    public const int IpcCreat = 0x200;
    public const int IpcRmid = 0;
    public const int IpcStat = 2;
    public const int ShmReadOnly = 0x1000;

    // struct shmid_ds (x86-64 glibc): 112 bytes; shm_segsz (size_t) at 48.
    public const int ShmidDsSize = 112;
    public const int ShmSegmentSizeOffset = 48;
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigStop = 19;
    public const int SigCont = 18;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int shmget(int key, nuint size, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint shmat(int id, nint address, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int shmdt(nint address);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int shmctl(int id, int command, nint buffer);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int signal);
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Memfun.Tools.Workspace;

/// <summary>
/// The Linux system calls <see cref="SafeFile"/> is built on: <c>openat2</c> (with <c>RESOLVE_BENEATH</c>),
/// <c>openat</c>, <c>statx</c>, <c>mkdirat</c>, <c>renameat</c>, <c>unlinkat</c> and <c>fchmod</c>, each relative
/// to a directory descriptor, so that a path is checked and opened in one step.
/// </summary>
/// <remarks>
/// Linux on x86_64 and aarch64 only (<see cref="IsSupported"/>); the open flags differ between the two
/// (<c>O_DIRECTORY</c>, <c>O_NOFOLLOW</c>), the syscall numbers of <c>openat2</c> (437) do not. Errors come back
/// as <c>-errno</c>. Stateless and thread-safe except for the once-only probe of <c>openat2</c>.
/// </remarks>
internal static class NativeFile
{
    public const int AtFdCwd = -100;
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int OPath = 0x200000;

    public const int ENoEnt = 2;
    public const int ENxIo = 6;
    public const int EAcces = 13;
    public const int EExist = 17;
    public const int EXDev = 18;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int ENoSys = 38;
    public const int ELoop = 40;
    public const int EPerm = 1;
    public const int EIntr = 4;

    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;

    public const int SIfMt = 0xF000;
    public const int SIfReg = 0x8000;
    public const int SIfDir = 0x4000;
    public const int SIfLnk = 0xA000;
    public const int SIfIfo = 0x1000;
    public const int SIfChr = 0x2000;
    public const int SIfBlk = 0x6000;
    public const int SIfSock = 0xC000;

    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasic = 0x7FF;
    private const long SysOpenat2 = 437;

    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static int _openat2 = OperatingSystem.IsLinux() ? 1 : 0;

    /// <summary>True where these calls exist: Linux on x86_64 or aarch64.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>True until <c>openat2</c> answered ENOSYS (an old kernel, or a seccomp filter that denies it).</summary>
    public static bool HasOpenat2 => Volatile.Read(ref _openat2) == 1;

    public static int ODirectory => Arm64 ? 0x4000 : 0x10000;

    public static int ONoFollow => Arm64 ? 0x8000 : 0x20000;

    private static long SysStatx => Arm64 ? 291 : 332;

    /// <summary><c>openat2(dirfd, path, {flags, mode, resolve})</c>; a descriptor, or -errno. ENOSYS turns it off for the process.</summary>
    public static int Openat2(SafeFileHandle dir, string path, int flags, int mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = (ulong)mode, Resolve = resolve };
        int fd;
        int errno;
        do
        {
            fd = (int)Openat2Syscall(SysOpenat2, dir, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (errno == EIntr);

        if (errno == ENoSys)
        {
            Volatile.Write(ref _openat2, 0);
        }

        return fd < 0 ? -errno : fd;
    }

    /// <summary><c>openat(dirfd, path, flags, mode)</c>; a descriptor, or -errno.</summary>
    public static int Openat(SafeFileHandle dir, string path, int flags, int mode)
    {
        int fd;
        int errno;
        do
        {
            fd = OpenatCall(dir, path, flags, mode);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (errno == EIntr);

        return fd < 0 ? -errno : fd;
    }

    /// <summary>Opens a folder by absolute path (the workspace root, trusted) as an <c>O_PATH</c> descriptor.</summary>
    public static int OpenRoot(string path)
    {
        var fd = OpenatCwd(AtFdCwd, path, OPath | ODirectory | OCloExec, 0);
        return fd < 0 ? -Marshal.GetLastPInvokeError() : fd;
    }

    /// <summary><c>statx</c> of an open descriptor; 0 or -errno.</summary>
    public static int Fstat(SafeFileHandle fd, out Statx stat) => StatCall(fd, string.Empty, AtEmptyPath, out stat);

    /// <summary><c>statx</c> of a name in a folder, without following a link; 0 or -errno.</summary>
    public static int StatAt(SafeFileHandle dir, string name, out Statx stat) => StatCall(dir, name, AtSymlinkNoFollow, out stat);

    /// <summary><c>mkdirat</c>; 0 or -errno.</summary>
    public static int MkdirAt(SafeFileHandle dir, string name, int mode) => MkdiratCall(dir, name, mode) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>renameat</c> within one folder; 0 or -errno.</summary>
    public static int RenameAt(SafeFileHandle dir, string from, string to) => RenameatCall(dir, from, dir, to) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>unlinkat</c> of a file; 0 or -errno.</summary>
    public static int UnlinkAt(SafeFileHandle dir, string name) => UnlinkatCall(dir, name, 0) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>fchmod</c>; 0 or -errno.</summary>
    public static int Fchmod(SafeFileHandle fd, int mode) => FchmodCall(fd, mode) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary>The text of an errno (strerror), for messages.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static int StatCall(SafeFileHandle dir, string name, int flags, out Statx stat)
    {
        stat = default;
        int rc;
        int errno;
        do
        {
            rc = (int)StatxSyscall(SysStatx, dir, name, flags, StatxBasic, ref stat);
            errno = rc < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (errno == EIntr);

        return rc < 0 ? -errno : 0;
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Openat2Syscall(long number, SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref OpenHow how, nuint size);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long StatxSyscall(long number, SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref Statx buffer);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static extern int OpenatCall(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static extern int OpenatCwd(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    private static extern int MkdiratCall(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "renameat", SetLastError = true)]
    private static extern int RenameatCall(SafeFileHandle fromDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string from, SafeFileHandle toDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    [DllImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static extern int UnlinkatCall(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static extern int FchmodCall(SafeFileHandle fd, int mode);

    /// <summary>The kernel's <c>struct open_how</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>The fields of the kernel's <c>struct statx</c> (256 bytes, the same on every architecture) that are used.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long MtimeSeconds;

        [FieldOffset(120)]
        public uint MtimeNanoseconds;

        /// <summary>The <c>S_IFMT</c> bits.</summary>
        public readonly int Type => Mode & SIfMt;

        /// <summary>The modification time.</summary>
        public readonly DateTime LastWriteTimeUtc => DateTime.UnixEpoch.AddTicks((MtimeSeconds * TimeSpan.TicksPerSecond) + (MtimeNanoseconds / 100));
    }
}

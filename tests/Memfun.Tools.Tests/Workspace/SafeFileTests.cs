using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Workspace;

/// <summary>
/// The one-step open beneath a root, on real files, links, FIFOs, devices and a concurrent process swapping
/// a folder for a link: nothing outside the root is ever read or written, and no special file blocks.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SafeFileTests : IDisposable
{
    private const string Secret = "OUTSIDE-SECRET-7f3a";
    private readonly WorkspaceFolder _ws = new();

    public SafeFileTests()
    {
        File.WriteAllText(Path.Combine(_ws.Outside, "id_rsa"), Secret + "\n");
    }

    public void Dispose() => _ws.Dispose();

    private IReadOnlyList<string> Roots => _ws.Guard.Roots;

    [Fact]
    public void A_link_through_a_folder_that_leaves_the_root_is_refused()
    {
        // skills/leaky/sub -> /outside, skills/leaky/notes.md -> sub/id_rsa: only the last hop stays inside lexically.
        var skill = _ws.Full("skills/leaky");
        Directory.CreateDirectory(skill);
        Directory.CreateSymbolicLink(Path.Combine(skill, "sub"), _ws.Outside);
        File.CreateSymbolicLink(Path.Combine(skill, "notes.md"), "sub/id_rsa");

        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadOwnFile(skill, "notes.md"));
        Assert.Equal(SafeFileError.Outside, ex.Error);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.Throws<SafeFileException>(() => SafeFile.ReadAllBytes(Roots, Path.Combine(skill, "notes.md"), "notes.md", 1024));
    }

    [Fact]
    public void A_chain_of_links_that_stays_inside_is_read()
    {
        _ws.Write("real/target.txt", "inside\n");
        File.CreateSymbolicLink(_ws.Full("hop1"), "hop2");
        File.CreateSymbolicLink(_ws.Full("hop2"), "real/target.txt");
        File.CreateSymbolicLink(_ws.Full("absolute"), _ws.Full("real/target.txt"));

        Assert.Equal("inside\n", Encoding.UTF8.GetString(SafeFile.ReadAllBytes(Roots, _ws.Full("hop1"), "hop1", 1024)));
        Assert.Equal("inside\n", Encoding.UTF8.GetString(SafeFile.ReadAllBytes(Roots, _ws.Full("absolute"), "absolute", 1024)));
    }

    [Fact]
    public void A_chain_of_links_that_ends_outside_is_refused()
    {
        File.CreateSymbolicLink(_ws.Full("hop1"), "hop2");
        File.CreateSymbolicLink(_ws.Full("hop2"), Path.Combine(_ws.Outside, "id_rsa"));

        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadAllBytes(Roots, _ws.Full("hop1"), "hop1", 1024));
        Assert.Equal(SafeFileError.Outside, ex.Error);
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/proc/self/root/etc/hostname")]
    [InlineData("/proc/self/fd/0")]
    public void A_link_to_a_proc_magic_link_is_refused(string target)
    {
        File.CreateSymbolicLink(_ws.Full("MEMORY.md"), target);

        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadOwnFile(_ws.Path, "MEMORY.md"));
        Assert.Equal(SafeFileError.Outside, ex.Error);
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_by_read_file_and_never_blocks()
    {
        var fifo = MakeFifo("pipe.txt");
        try
        {
            // Without the fix the read waits for a writer forever: the wait below would then be cancelled and fail the test.
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var read = Task.Run(() => Assert.ThrowsAny<MemfunToolException>(() => _ws.Reader.Read("pipe.txt", null, null, false, null)));
            var ex = await read.WaitAsync(cancel.Token);
            Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);

            var own = await Task.Run(() => Assert.Throws<SafeFileException>(() => SafeFile.ReadOwnFile(_ws.Path, "pipe.txt"))).WaitAsync(cancel.Token);
            Assert.Equal(SafeFileError.NotRegular, own.Error);
        }
        finally
        {
            Unblock(fifo);
        }
    }

    [Fact]
    public async Task A_fifo_is_refused_by_write_file_without_blocking()
    {
        var fifo = MakeFifo("pipe.txt");
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var write = Task.Run(() => Assert.ThrowsAny<MemfunToolException>(() => _ws.Writer.Write("pipe.txt", "x\n", allowShrink: true)));
            var ex = await write.WaitAsync(cancel.Token);
            Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Unblock(fifo);
        }
    }

    [Fact]
    public void A_device_is_not_a_regular_file_and_is_never_read()
    {
        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadAllBytes(["/dev"], "/dev/zero", "/dev/zero", 1024));
        Assert.Equal(SafeFileError.NotRegular, ex.Error);
        Assert.Contains("character device", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused()
    {
        File.CreateSymbolicLink(_ws.Full(".gitignore"), "/dev/zero");

        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadOwnFile(_ws.Path, ".gitignore"));
        Assert.Equal(SafeFileError.Outside, ex.Error);

        // The walker reads ignore files through the same layer: it skips this one and still lists the workspace.
        _ws.Write("a.txt", "a\n");
        Assert.Contains(new WorkspaceWalker(_ws.Guard).Walk(), e => e.RelativePath == "a.txt");
    }

    [Fact]
    public void A_file_over_the_cap_is_refused_whole()
    {
        _ws.WriteBytes("big.md", new byte[4096]);

        var ex = Assert.Throws<SafeFileException>(() => SafeFile.ReadOwnFile(_ws.Path, "big.md", maxBytes: 1024));
        Assert.Equal(SafeFileError.TooLarge, ex.Error);
        Assert.Contains("big.md", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4096, SafeFile.ReadOwnFile(_ws.Path, "big.md", maxBytes: 4096)!.Length);
    }

    [Fact]
    public void A_missing_own_file_reads_as_null()
    {
        Assert.Null(SafeFile.ReadOwnFile(_ws.Path, "MEMORY.md"));
    }

    [Fact]
    public void An_atomic_write_keeps_the_old_mode_and_leaves_no_temp_file()
    {
        var full = _ws.Write("src/run.sh", "old\n");
        File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        _ws.Writer.Write("src/run.sh", "new content\n", allowShrink: true);
        _ws.Writer.Write("new/deep/file.txt", "created\n", allowShrink: false);

        Assert.Equal("new content\n", _ws.Read("src/run.sh"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(full));
        Assert.Equal("created\n", _ws.Read("new/deep/file.txt"));
        Assert.Empty(Directory.GetFiles(_ws.Path, "*.memfun-tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_folder_swapped_for_a_link_never_leaks_a_read_nor_lands_a_write_outside()
    {
        // A concurrent local process exchanges ws/dir (a real folder) and ws/swap (a link to the outside folder)
        // with renameat2(RENAME_EXCHANGE) as fast as it can, while read_file and write_file run.
        Directory.CreateDirectory(_ws.Full("dir"));
        _ws.Write("dir/file.txt", "inside\n");
        File.WriteAllText(Path.Combine(_ws.Outside, "file.txt"), Secret + "\n");
        Directory.CreateSymbolicLink(_ws.Full("swap"), _ws.Outside);

        using var stop = new CancellationTokenSource();
        long swaps = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (RenameExchange(_ws.Full("dir"), _ws.Full("swap")) == 0)
                {
                    Interlocked.Increment(ref swaps);
                }
            }
        }) { IsBackground = true };
        swapper.Start();

        int leaks = 0, reads = 0, writes = 0;
        try
        {
            for (var i = 0; i < 400; i++)
            {
                try
                {
                    var text = _ws.Reader.Read("dir/file.txt", null, null, force: true, null).Text;
                    reads++;
                    if (text.Contains(Secret, StringComparison.Ordinal))
                    {
                        leaks++;
                    }
                }
                catch (MemfunToolException)
                {
                    // Refused (the path was a link at that moment): the right answer.
                }

                try
                {
                    _ws.Writer.Write($"dir/new-{i}.txt", "written\n", allowShrink: true);
                    writes++;
                }
                catch (MemfunToolException)
                {
                }
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }

        var outsideWrites = Directory.GetFiles(_ws.Outside).Where(f => !f.EndsWith("file.txt", StringComparison.Ordinal) && !f.EndsWith("id_rsa", StringComparison.Ordinal)).ToList();
        Assert.True(Interlocked.Read(ref swaps) > 100, $"the swapper made only {swaps} exchanges");
        Assert.Equal(0, leaks);
        Assert.Empty(outsideWrites);
        Assert.True(reads > 0 && writes > 0, $"reads {reads}, writes {writes}: the race left no successful call to check");
    }

    private string MakeFifo(string relative)
    {
        var full = _ws.Full(relative);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [full]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return full;
    }

    /// <summary>Opens the FIFO for writing without blocking, so a reader stuck on it (without the fix) is released.</summary>
    private static void Unblock(string fifo)
    {
        var fd = Open(fifo, 0x801 /* O_WRONLY | O_NONBLOCK */);
        if (fd >= 0)
        {
            Close(fd);
        }
    }

    private static int RenameExchange(string a, string b) => RenameAt2(-100, a, -100, b, 2);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    [Fact]
    public void A_write_removes_old_temporaries_of_killed_writes_and_nothing_else()
    {
        // What a write killed between creating its temporary file and the rename leaves behind.
        _ws.Write("docs/data.txt", "old\n");
        var stray = _ws.Write($"docs/.data.txt.{Guid.NewGuid():N}.memfun-tmp", "half");
        var otherStray = _ws.Write($"docs/.notes.md.{Guid.NewGuid():N}.memfun-tmp", "half");
        var fresh = _ws.Write($"docs/.data.txt.{Guid.NewGuid():N}.memfun-tmp", "a write in progress");
        var notOurs = _ws.Write("docs/.data.txt.backup.memfun-tmp", "the user's");
        var plain = _ws.Write("docs/old.txt", "the user's");
        var outsideStray = Path.Combine(_ws.Outside, $".data.txt.{Guid.NewGuid():N}.memfun-tmp");
        File.WriteAllText(outsideStray, "outside");
        var hourAgo = DateTime.UtcNow.AddHours(-1);
        foreach (var path in new[] { stray, otherStray, notOurs, plain, outsideStray })
        {
            File.SetLastWriteTimeUtc(path, hourAgo);
        }

        SafeFile.WriteAtomic(Roots, _ws.Full("docs/data.txt"), "new\n"u8, "docs/data.txt", ".memfun-tmp");

        Assert.Equal("new\n", File.ReadAllText(_ws.Full("docs/data.txt")));
        Assert.False(File.Exists(stray));
        Assert.False(File.Exists(otherStray));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(plain));
        Assert.True(File.Exists(outsideStray));
        Assert.Equal(["data.txt", "old.txt"], Directory.GetFiles(_ws.Full("docs")).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal));
    }
}

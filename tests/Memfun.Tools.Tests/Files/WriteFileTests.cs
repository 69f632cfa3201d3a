using Memfun.Tools.Tests.Infrastructure;

namespace Memfun.Tools.Tests.Files;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WriteFileTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void A_new_file_is_created_with_its_parent_folders()
    {
        var r = _ws.Writer.Write("deep/er/new.txt", "hello\nworld\n", allowShrink: false);

        Assert.True(r.Created);
        Assert.Equal("deep/er/new.txt", r.Path);
        Assert.Equal(2, r.Lines);
        Assert.Equal("hello\nworld\n", _ws.Read("deep/er/new.txt"));
    }

    [Fact]
    public void Overwriting_with_content_that_loses_more_than_30_percent_of_the_lines_is_refused_with_the_numbers()
    {
        var original = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n"));
        _ws.Write("a.txt", original);

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Writer.Write("a.txt", "line 1\nline 2\n", allowShrink: false));

        Assert.Contains("by lines", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10 lines now, 2 after", ex.Message, StringComparison.Ordinal);
        Assert.Contains("edit_file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("allow_shrink", ex.Message, StringComparison.Ordinal);
        Assert.Equal(original, _ws.Read("a.txt"));
    }

    [Fact]
    public void Losing_more_than_30_percent_of_the_bytes_on_the_same_lines_is_refused_by_bytes()
    {
        _ws.Write("a.txt", new string('a', 1000) + "\n");

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Writer.Write("a.txt", "short\n", allowShrink: false));

        Assert.Contains("by bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1001 bytes now, 6 after", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_shrink_overrides_the_guard()
    {
        _ws.Write("a.txt", string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n")));

        var r = _ws.Writer.Write("a.txt", "only\n", allowShrink: true);

        Assert.False(r.Created);
        Assert.Equal(10, r.PreviousLines);
        Assert.Equal("only\n", _ws.Read("a.txt"));
    }

    [Fact]
    public void A_shrink_of_at_most_30_percent_is_allowed()
    {
        _ws.Write("a.txt", string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i:00}\n")));

        _ws.Writer.Write("a.txt", string.Concat(Enumerable.Range(1, 7).Select(i => $"line {i:00}\n")), allowShrink: false);

        Assert.Equal(7, _ws.Read("a.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void An_existing_bom_and_the_unix_permissions_are_kept()
    {
        var path = _ws.WriteBytes("script.sh", [0xEF, 0xBB, 0xBF, .. "echo old\n"u8]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        _ws.Writer.Write("script.sh", "echo new\n", allowShrink: false);

        Assert.Equal([0xEF, 0xBB, 0xBF, .. "echo new\n"u8], _ws.ReadBytes("script.sh"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_reader_never_sees_a_partial_file_and_no_temp_file_is_left_behind()
    {
        var a = new string('a', 1_000_000) + "\n";
        var b = new string('b', 1_000_000) + "\n";
        _ws.Write("big.txt", a);
        var path = _ws.Full("big.txt");
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                if (text != a && text != b)
                {
                    lock (seen)
                    {
                        seen.Add($"{text.Length} chars starting '{text[..Math.Min(5, text.Length)]}'");
                    }
                }
            }
        });

        for (var i = 0; i < 16; i++)
        {
            _ws.Writer.Write("big.txt", i % 2 == 0 ? b : a, allowShrink: false);
        }

        stop.Cancel();
        await reader;

        Assert.Empty(seen);
        Assert.Equal(["big.txt"], Directory.GetFiles(_ws.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Writing_under_a_path_that_is_a_file_is_a_clear_error()
    {
        _ws.Write("plain.txt", "x\n");

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Writer.Write("plain.txt/child.txt", "y\n", allowShrink: false));

        Assert.Contains("Could not write 'plain.txt/child.txt'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("x\n", _ws.Read("plain.txt"));
    }

    [Fact]
    public void Writing_to_a_folder_path_is_refused()
    {
        Directory.CreateDirectory(_ws.Full("src"));

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Writer.Write("src", "x", allowShrink: false));

        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
    }
}

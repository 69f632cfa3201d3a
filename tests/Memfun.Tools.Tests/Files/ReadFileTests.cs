using System.Text;
using Memfun.Tools.Files;
using Memfun.Tools.Tests.Infrastructure;

namespace Memfun.Tools.Tests.Files;

public sealed class ReadFileTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    private static string Lines(int count, Func<int, string>? line = null) =>
        string.Concat(Enumerable.Range(1, count).Select(i => (line?.Invoke(i) ?? $"line {i}") + "\n"));

    [Fact]
    public void Lines_are_numbered_from_one_with_the_range_and_total_in_the_header()
    {
        _ws.Write("a.txt", "alpha\nbeta\ngamma\n");

        var r = _ws.Reader.Read("a.txt", null, null, false, null);

        Assert.Contains("lines 1-3 of 3", r.Text, StringComparison.Ordinal);
        Assert.Contains("     1\talpha\n     2\tbeta\n     3\tgamma\n", r.Text, StringComparison.Ordinal);
        Assert.EndsWith("[end of file]", r.Text, StringComparison.Ordinal);
        Assert.Equal(3, r.TotalLines);
        Assert.Null(r.NextOffset);
    }

    [Fact]
    public void A_long_file_is_paged_and_the_footer_names_the_next_offset()
    {
        _ws.Write("big.txt", Lines(3000));

        var first = _ws.Reader.Read("big.txt", null, null, false, null);
        var second = _ws.Reader.Read("big.txt", first.NextOffset, null, false, null);

        Assert.Equal((1, 2000), (first.StartLine, first.EndLine));
        Assert.Contains("1000 more lines after line 2000", first.Text, StringComparison.Ordinal);
        Assert.Contains("offset=2001", first.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2001\n", first.Text, StringComparison.Ordinal);
        Assert.Equal((2001, 3000), (second.StartLine, second.EndLine));
        Assert.Contains("  2001\tline 2001\n", second.Text, StringComparison.Ordinal);
        Assert.Null(second.NextOffset);
    }

    [Fact]
    public void Offset_and_limit_select_a_range()
    {
        _ws.Write("a.txt", Lines(50));

        var r = _ws.Reader.Read("a.txt", 10, 5, false, null);

        Assert.Equal((10, 14), (r.StartLine, r.EndLine));
        Assert.Contains("    10\tline 10\n", r.Text, StringComparison.Ordinal);
        Assert.Contains("    14\tline 14\n", r.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("line 15", r.Text, StringComparison.Ordinal);
        Assert.Equal(15, r.NextOffset);
    }

    [Fact]
    public void A_line_longer_than_the_cap_is_cut_with_a_marker()
    {
        _ws.Write("wide.txt", new string('x', 5000) + "\nshort\n");

        var r = _ws.Reader.Read("wide.txt", null, null, false, null);

        Assert.Contains(new string('x', FileReader.MaxLineChars) + " … [line truncated: 5000 bytes in total]", r.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', FileReader.MaxLineChars + 1), r.Text, StringComparison.Ordinal);
        Assert.Contains("     2\tshort", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_offset_past_the_end_is_refused_with_the_line_count()
    {
        _ws.Write("a.txt", Lines(3));

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("a.txt", 10, null, false, null));

        Assert.Contains("past the end", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 lines", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_is_refused_with_its_size_and_a_type_guess()
    {
        var png = new byte[4096];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        _ws.WriteBytes("logo.png", png);

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("logo.png", null, null, false, null));

        Assert.Contains("binary file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4.0 KB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PNG image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_decoded_as_windows_1252_and_says_so()
    {
        _ws.WriteBytes("legacy.txt", [.. "caf"u8, 0xE9, (byte)' ', 0x80, (byte)'\n']);

        var r = _ws.Reader.Read("legacy.txt", null, null, false, null);

        Assert.Contains("café €", r.Text, StringComparison.Ordinal);
        Assert.Contains("Windows-1252", r.Text, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", r.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "UTF-16 LE with BOM")]
    [InlineData(true, "UTF-16 BE with BOM")]
    public void A_utf16_file_with_a_byte_order_mark_is_read_as_text_and_says_so(bool bigEndian, string name)
    {
        var utf16 = bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;
        _ws.WriteBytes("notes.txt", [.. utf16.Preamble, .. utf16.GetBytes("Grüße\r\nzweite Zeile ✓\r\ndritte\r\n")]);

        var r = _ws.Reader.Read("notes.txt", 2, 1, false, null);

        Assert.Contains("     2\tzweite Zeile ✓\n", r.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Grüße", r.Text, StringComparison.Ordinal);
        Assert.Contains(name, r.Text, StringComparison.Ordinal);
        Assert.Equal(3, r.TotalLines);
    }

    [Fact]
    public void A_utf32_file_is_still_refused_as_binary()
    {
        _ws.WriteBytes("wide.txt", [.. new UTF32Encoding(false, true).Preamble, .. new UTF32Encoding(false, false).GetBytes("abc\n")]);

        var ex = Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("wide.txt", null, null, false, null));

        Assert.Contains("binary file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_lines_are_shown_without_carriage_returns_and_the_header_says_crlf()
    {
        _ws.WriteBytes("win.txt", [0xEF, 0xBB, 0xBF, .. "one\r\ntwo\r\n"u8]);

        var r = _ws.Reader.Read("win.txt", null, null, false, null);

        Assert.Contains("     1\tone\n     2\ttwo\n", r.Text, StringComparison.Ordinal);
        Assert.Contains("CRLF", r.Text, StringComparison.Ordinal);
        Assert.Contains("UTF-8 with BOM", r.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_re_read_of_an_unchanged_range_in_the_same_session_says_unchanged_unless_forced()
    {
        _ws.Write("a.txt", Lines(5));

        var first = _ws.Reader.Read("a.txt", null, null, false, "s1");
        var again = _ws.Reader.Read("a.txt", null, null, false, "s1");
        var forced = _ws.Reader.Read("a.txt", null, null, true, "s1");
        var otherSession = _ws.Reader.Read("a.txt", null, null, false, "s2");
        var otherRange = _ws.Reader.Read("a.txt", 2, null, false, "s1");

        Assert.False(first.Unchanged);
        Assert.True(again.Unchanged);
        Assert.Contains("unchanged since your last read (lines 1-5 of 5, sha256 " + first.Hash, again.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("line 3", again.Text, StringComparison.Ordinal);
        Assert.Contains("line 3", forced.Text, StringComparison.Ordinal);
        Assert.False(otherSession.Unchanged);
        Assert.False(otherRange.Unchanged);
    }

    [Fact]
    public void A_changed_file_is_shown_again_and_a_write_through_the_tools_invalidates_the_cache()
    {
        _ws.Write("a.txt", Lines(5));
        _ = _ws.Reader.Read("a.txt", null, null, false, "s");

        File.AppendAllText(_ws.Full("a.txt"), "line 6\n");
        var afterChange = _ws.Reader.Read("a.txt", null, null, false, "s");
        _ws.Writer.Write("a.txt", File.ReadAllText(_ws.Full("a.txt")), allowShrink: false);
        var afterSameContentWrite = _ws.Reader.Read("a.txt", null, null, false, "s");

        Assert.False(afterChange.Unchanged);
        Assert.Contains("line 6", afterChange.Text, StringComparison.Ordinal);
        Assert.False(afterSameContentWrite.Unchanged);
    }

    [Fact]
    public void A_last_line_without_a_line_break_is_shown_and_counted()
    {
        _ws.Write("a.txt", "one\ntwo");

        var r = _ws.Reader.Read("a.txt", null, null, false, null);

        Assert.Contains("lines 1-2 of 2", r.Text, StringComparison.Ordinal);
        Assert.Contains("     2\ttwo\n[end of file]", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_below_one_and_an_offset_below_one_are_refused()
    {
        _ws.Write("a.txt", "one\n");

        Assert.Contains("limit", Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("a.txt", null, 0, false, null)).Message, StringComparison.Ordinal);
        Assert.Contains("offset", Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("a.txt", 0, null, false, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_or_a_missing_file_is_a_clear_error()
    {
        Directory.CreateDirectory(_ws.Full("src"));

        Assert.Contains("is a directory", Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("src", null, null, false, null)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<MemfunToolException>(() => _ws.Reader.Read("nope.txt", null, null, false, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_reads_as_empty()
    {
        _ws.Write("empty.txt", string.Empty);

        var r = _ws.Reader.Read("empty.txt", null, null, false, null);

        Assert.Contains("empty file", r.Text, StringComparison.Ordinal);
        Assert.Equal(0, r.TotalLines);
    }

    [Fact]
    public void A_200_MB_file_is_read_one_page_at_a_time_without_loading_it_whole()
    {
        var path = _ws.Full("huge.log");
        var line = Encoding.ASCII.GetBytes(new string('y', 99) + "\n");
        using (var f = File.Create(path))
        {
            var block = new byte[line.Length * 10_000];
            for (var i = 0; i < 10_000; i++)
            {
                line.CopyTo(block, i * line.Length);
            }

            for (var i = 0; i < 200; i++)
            {
                f.Write(block);
            }
        }

        // 200 × 10,000 lines of 100 bytes = 200 MB, 2,000,000 lines.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var first = _ws.Reader.Read("huge.log", null, null, false, null);
        var tail = _ws.Reader.Read("huge.log", 1_999_999, null, false, null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 100-character lines: the page stops at the character cap before 2000 lines.
        Assert.Equal(1, first.StartLine);
        Assert.InRange(first.EndLine, 900, 1999);
        Assert.Null(first.TotalLines);
        Assert.Contains("file too large to count lines", first.Text, StringComparison.Ordinal);
        Assert.Contains($"page cut at {FileReader.MaxPageChars} characters): call read_file with offset={first.EndLine + 1}", first.Text, StringComparison.Ordinal);
        Assert.Equal((1_999_999, 2_000_000), (tail.StartLine, tail.EndLine));
        Assert.Equal(2_000_000, tail.TotalLines);
        Assert.Contains("[end of file]", tail.Text, StringComparison.Ordinal);
        Assert.True(allocated < 32L * 1024 * 1024, $"reading two pages of a 200 MB file allocated {allocated} bytes");
    }
}

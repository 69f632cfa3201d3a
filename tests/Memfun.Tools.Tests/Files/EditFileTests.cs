using System.Text;
using Memfun.Tools.Files;
using Memfun.Tools.Tests.Infrastructure;

namespace Memfun.Tools.Tests.Files;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EditFileTests : IDisposable
{
    private const string Code = """
        namespace Demo;

        public class Greeter
        {
            public string Greet(string name)
            {
                var greeting = "Hello, " + name;
                return greeting;
            }

            public int Count(int[] values)
            {
                var total = 0;
                foreach (var v in values)
                {
                    total += v;
                }

                return total;
            }
        }

        """;

    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void An_exact_match_is_replaced_and_the_result_shows_a_unified_diff()
    {
        _ws.Write("Greeter.cs", Code);

        var r = _ws.Editor.Edit("Greeter.cs", "\"Hello, \" + name", "$\"Hi, {name}\"", false, false);

        Assert.Equal("exact", r.Strategy);
        Assert.Equal(1, r.Replacements);
        Assert.Equal([7], r.Lines);
        Assert.Contains("var greeting = $\"Hi, {name}\";", _ws.Read("Greeter.cs"), StringComparison.Ordinal);
        Assert.Contains("--- a/Greeter.cs", r.Diff, StringComparison.Ordinal);
        Assert.Contains("+++ b/Greeter.cs", r.Diff, StringComparison.Ordinal);
        Assert.Contains("-        var greeting = \"Hello, \" + name;", r.Diff, StringComparison.Ordinal);
        Assert.Contains("+        var greeting = $\"Hi, {name}\";", r.Diff, StringComparison.Ordinal);
        Assert.False(r.DryRun);
    }

    [Fact]
    public void A_match_that_differs_only_in_indentation_is_found_and_the_new_text_is_re_indented()
    {
        _ws.Write("Greeter.cs", Code);

        // The model dropped the class-level indentation.
        var r = _ws.Editor.Edit(
            "Greeter.cs",
            "var total = 0;\nforeach (var v in values)\n{\n    total += v;\n}",
            "var total = 0;\nforeach (var v in values)\n{\n    total += v * 2;\n}",
            false,
            false);

        Assert.Equal("whitespace", r.Strategy);
        Assert.Contains("        var total = 0;\n        foreach (var v in values)\n        {\n            total += v * 2;\n        }\n", _ws.Read("Greeter.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fragment_with_different_inner_spacing_matches_by_whitespace()
    {
        _ws.Write("a.py", "def f(a, b):\n    return a   +   b\n");

        var r = _ws.Editor.Edit("a.py", "return a + b", "return a * b", false, false);

        Assert.Equal("whitespace", r.Strategy);
        Assert.Equal("def f(a, b):\n    return a * b\n", _ws.Read("a.py"));
    }

    [Fact]
    public void A_near_match_is_found_by_fuzzy_matching_and_the_files_own_lines_are_kept()
    {
        _ws.Write("Greeter.cs", Code);

        // Misremembered 'greet' for 'greeting' in a line the edit leaves alone; one line added after it.
        var r = _ws.Editor.Edit(
            "Greeter.cs",
            "    public string Greet(string name)\n    {\n        var greet = \"Hello, \" + name;\n        return greeting;\n    }",
            "    public string Greet(string name)\n    {\n        var greet = \"Hello, \" + name;\n        Log(greeting);\n        return greeting;\n    }",
            false,
            false);

        Assert.Equal("fuzzy", r.Strategy);
        Assert.InRange(r.Similarity, FuzzyEditor.FuzzyThreshold, 1.0);
        Assert.Contains(r.Normalized, n => n.Contains("line 7 differs from the file", StringComparison.Ordinal));
        Assert.Contains("        var greeting = \"Hello, \" + name;\n        Log(greeting);\n        return greeting;\n", _ws.Read("Greeter.cs"), StringComparison.Ordinal);
        Assert.Contains("+        Log(greeting);", r.Diff, StringComparison.Ordinal);
        Assert.DoesNotContain("-        var greeting", r.Diff, StringComparison.Ordinal);
    }

    [Fact]
    public void A_near_match_whose_slip_is_in_a_line_the_edit_removes_is_refused_and_changes_nothing()
    {
        _ws.Write("Greeter.cs", Code);

        var ex = Assert.Throws<EditMatchException>(() => _ws.Editor.Edit(
            "Greeter.cs",
            "    public string Greet(string name)\n    {\n        var greet = \"Hello, \" + name;\n        return greeting;\n    }",
            "    public string Greet(string name) => \"Hello, \" + name;",
            false,
            false));

        Assert.Contains("differs from the file's (\"var greeting = \"Hello, \" + name;\")", ex.Message, StringComparison.Ordinal);
        Assert.Contains("     7\t        var greeting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Code, _ws.Read("Greeter.cs"));
    }

    [Fact]
    public void An_ambiguous_match_is_refused_with_the_candidate_lines_and_changes_nothing()
    {
        _ws.Write("a.txt", "x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n");

        var ex = Assert.Throws<EditMatchException>(() => _ws.Editor.Edit("a.txt", "x = 1", "x = 9", false, false));

        Assert.Contains("matches 3 places", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lines 1, 3, 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("replace_all", ex.Message, StringComparison.Ordinal);
        Assert.Equal("x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n", _ws.Read("a.txt"));
    }

    [Fact]
    public void Replace_all_changes_every_match()
    {
        _ws.Write("a.txt", "x = 1\ny = 2\nx = 1\n");

        var r = _ws.Editor.Edit("a.txt", "x = 1", "x = 9", true, false);

        Assert.Equal(2, r.Replacements);
        Assert.Equal([1, 3], r.Lines);
        Assert.Equal("x = 9\ny = 2\nx = 9\n", _ws.Read("a.txt"));
    }

    [Fact]
    public void A_miss_returns_the_closest_region_with_its_lines_and_similarity()
    {
        _ws.Write("Greeter.cs", Code);

        var ex = Assert.Throws<EditMatchException>(() => _ws.Editor.Edit(
            "Greeter.cs",
            "public int Count(int[] numbers)\n{\n    var sum = 0;\n    return sum;\n}",
            "x",
            false,
            false));

        Assert.Contains("was not found", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains("closest region is lines 11-", StringComparison.Ordinal), ex.Message);
        Assert.Contains("% similar", ex.Message, StringComparison.Ordinal);
        Assert.Contains("    11\t    public int Count(int[] values)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Code, _ws.Read("Greeter.cs"));
    }

    [Fact]
    public void Crlf_line_endings_and_the_utf8_bom_are_preserved()
    {
        _ws.WriteBytes("win.cs", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("class A\r\n{\r\n    int x;\r\n}\r\n")]);

        var r = _ws.Editor.Edit("win.cs", "    int x;\n", "    int x;\n    int y;\n", false, false);

        Assert.Equal("exact", r.Strategy);
        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("class A\r\n{\r\n    int x;\r\n    int y;\r\n}\r\n")], _ws.ReadBytes("win.cs"));
    }

    [Fact]
    public void Mixed_line_endings_outside_the_edit_are_left_untouched()
    {
        _ws.WriteBytes("mixed.txt", Encoding.UTF8.GetBytes("a\r\nb\nc\r\nd\r\n"));

        _ws.Editor.Edit("mixed.txt", "c", "C", false, false);

        Assert.Equal("a\r\nb\nC\r\nd\r\n", Encoding.UTF8.GetString(_ws.ReadBytes("mixed.txt")));
    }

    [Fact]
    public void A_windows_1252_file_keeps_its_encoding()
    {
        _ws.WriteBytes("legacy.txt", [.. "caf"u8, 0xE9, (byte)'\n', .. "old\n"u8]);

        _ws.Editor.Edit("legacy.txt", "old", "neu", false, false);

        Assert.Equal([.. "caf"u8, 0xE9, (byte)'\n', .. "neu\n"u8], _ws.ReadBytes("legacy.txt"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_utf16_file_keeps_its_encoding_its_byte_order_mark_and_crlf(bool bigEndian)
    {
        var utf16 = bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;
        _ws.WriteBytes("App.rc", [.. utf16.Preamble, .. utf16.GetBytes("// Übersicht\r\nVERSION 1\r\n")]);

        _ws.Editor.Edit("App.rc", "VERSION 1", "VERSION 2", false, false);

        Assert.Equal([.. utf16.Preamble, .. utf16.GetBytes("// Übersicht\r\nVERSION 2\r\n")], _ws.ReadBytes("App.rc"));
    }

    [Fact]
    public void An_empty_old_text_is_refused_with_advice()
    {
        _ws.Write("a.txt", "x\n");

        var ex = Assert.Throws<EditMatchException>(() => _ws.Editor.Edit("a.txt", string.Empty, "y", false, false));

        Assert.Contains("old_text is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("write_file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dry_run_shows_the_diff_and_writes_nothing()
    {
        _ws.Write("a.txt", "keep\nold\n");

        var r = _ws.Editor.Edit("a.txt", "old", "new", false, dryRun: true);

        Assert.True(r.DryRun);
        Assert.Contains("+new", r.Diff, StringComparison.Ordinal);
        Assert.Equal("keep\nold\n", _ws.Read("a.txt"));
    }

    [Fact]
    public void Deleting_whole_lines_matched_by_whitespace_leaves_no_blank_line()
    {
        _ws.Write("a.txt", "one\n    two\n    three\nfour\n");

        var r = _ws.Editor.Edit("a.txt", "two\nthree\n", string.Empty, false, false);

        Assert.Equal("whitespace", r.Strategy);
        Assert.Equal("one\nfour\n", _ws.Read("a.txt"));
    }

    [Fact]
    public void The_permissions_survive_an_edit()
    {
        var path = _ws.Write("run.sh", "echo a\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        _ws.Editor.Edit("run.sh", "echo a", "echo b", false, false);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Concurrent_edits_of_one_file_are_all_kept()
    {
        _ws.Write("many.txt", string.Concat(Enumerable.Range(0, 40).Select(i => $"key{i:00} = old\n")));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => _ws.Editor.Edit("many.txt", $"key{i:00} = old", $"key{i:00} = new", false, false))));

        Assert.Equal(string.Concat(Enumerable.Range(0, 40).Select(i => $"key{i:00} = new\n")), _ws.Read("many.txt"));
    }

    [Fact]
    public void A_binary_file_is_not_edited()
    {
        _ws.WriteBytes("b.bin", [0, 1, 2, 3, (byte)'a']);

        Assert.Throws<MemfunToolException>(() => _ws.Editor.Edit("b.bin", "a", "b", false, false));
    }
}

using Memfun.Tools.Search;
using Memfun.Tools.Tests.Workspace;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Tests.Search;

public sealed class WorkspaceSearcherTests : IDisposable
{
    private readonly TestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private WorkspaceSearcher Searcher(SearchOptions? options = null) => new(_tree.Walker, Options.Create(options ?? new SearchOptions()));

    [Fact]
    public void A_regex_finds_matching_lines_as_file_line_text()
    {
        _tree.With(("src/a.cs", "class A\n{\n    void RunAsync() {}\n}\n"), ("src/b.cs", "// nothing\nTask StopAsync();\n"));

        var result = Searcher().Search(new SearchQuery { Pattern = @"\w+Async\(" });

        Assert.Equal(2, result.TotalMatches);
        Assert.Equal(new[] { ("src/a.cs", 3), ("src/b.cs", 2) }, result.Matches.Select(m => (m.Path, m.Line)));
        var text = result.ToText();
        Assert.Contains("src/a.cs:3:     void RunAsync() {}", text, StringComparison.Ordinal);
        Assert.Contains("src/b.cs:2: Task StopAsync();", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_search_takes_special_characters_as_written()
    {
        _tree.With(("a.txt", "call(x)\ncallx\n(x)\n"));

        var result = Searcher().Search(new SearchQuery { Pattern = "(x)", Literal = true });

        Assert.Equal(new[] { 1, 3 }, result.Matches.Select(m => m.Line));
    }

    [Fact]
    public void Case_insensitive_search_works_for_literals_and_regexes()
    {
        _tree.With(("a.txt", "Hello\nHELLO\nhello\nbye\n"));

        Assert.Equal(3, Searcher().Search(new SearchQuery { Pattern = "hello", Literal = true, CaseSensitive = false }).TotalMatches);
        Assert.Equal(3, Searcher().Search(new SearchQuery { Pattern = "h.llo", CaseSensitive = false }).TotalMatches);
        Assert.Equal(1, Searcher().Search(new SearchQuery { Pattern = "hello" }).TotalMatches);
    }

    [Fact]
    public void Several_matches_on_one_line_count_once_and_anchors_work_per_line()
    {
        _tree.With(("a.txt", "foo foo foo\nbar\nfoo\n"));

        Assert.Equal(2, Searcher().Search(new SearchQuery { Pattern = "foo" }).TotalMatches);
        Assert.Equal(new[] { 2 }, Searcher().Search(new SearchQuery { Pattern = "^bar$" }).Matches.Select(m => m.Line));
    }

    [Fact]
    public void Context_lines_surround_each_match_and_groups_are_separated()
    {
        _tree.With(("a.txt", string.Join('\n', Enumerable.Range(1, 20).Select(i => i == 5 || i == 15 ? $"match {i}" : $"line {i}"))));

        var result = Searcher().Search(new SearchQuery { Pattern = "match", Context = 2 });

        var first = result.Matches[0];
        Assert.Equal(new[] { "line 3", "line 4" }, first.Before);
        Assert.Equal(new[] { "line 6", "line 7" }, first.After);
        var text = result.ToText();
        Assert.Contains("a.txt-4- line 4\na.txt:5: match 5\na.txt-6- line 6\na.txt-7- line 7\n--\na.txt-13- line 13", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_regex_is_refused_with_the_parse_problem()
    {
        _tree.With(("a.txt", "x"));

        var ex = Assert.Throws<SearchException>(() => Searcher().Search(new SearchQuery { Pattern = "foo(bar" }));

        Assert.Contains("not a valid regular expression", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InsufficientClosingParentheses", ex.Message, StringComparison.Ordinal);
        Assert.Contains("literal=true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catastrophic_pattern_times_out_with_a_clear_error()
    {
        _tree.With(("a.txt", new string('a', 5000) + "!"));

        var ex = Assert.Throws<SearchException>(() => Searcher(new SearchOptions { RegexTimeout = TimeSpan.FromMilliseconds(100) })
            .Search(new SearchQuery { Pattern = "^(a+)+$" }));

        Assert.Contains("catastrophic backtracking", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_and_huge_files_are_skipped_and_counted()
    {
        _tree.With(("text.txt", "needle\n"), ("big.txt", "needle\n" + new string('x', 4096)));
        File.WriteAllBytes(_tree.Full("blob.bin"), [0x6E, 0x65, 0x65, 0x64, 0x6C, 0x65, 0x00, 0x01]);

        var result = Searcher(new SearchOptions { MaxFileBytes = 1024 }).Search(new SearchQuery { Pattern = "needle", Literal = true });

        Assert.Equal(new[] { "text.txt" }, result.Matches.Select(m => m.Path));
        Assert.Equal(1, result.SkippedBinary);
        Assert.Equal(1, result.SkippedLarge);
        Assert.Contains("skipped 1 binary", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ignored_files_are_not_searched()
    {
        _tree.With((".gitignore", "dist/\n"), ("dist/app.js", "needle"), ("src/app.js", "needle"));

        var result = Searcher().Search(new SearchQuery { Pattern = "needle" });

        Assert.Equal(new[] { "src/app.js" }, result.Matches.Select(m => m.Path));
    }

    [Fact]
    public void Path_and_glob_narrow_the_files_searched()
    {
        _tree.With(("src/a.ts", "needle"), ("src/b.js", "needle"), ("src/sub/c.tsx", "needle"), ("lib/d.ts", "needle"));
        var searcher = Searcher();

        Assert.Equal(new[] { "src/a.ts", "src/sub/c.tsx" }, searcher.Search(new SearchQuery { Pattern = "needle", Path = "src", Glob = "*.{ts,tsx}" }).Matches.Select(m => m.Path));
        Assert.Equal(new[] { "lib/d.ts", "src/a.ts" }, searcher.Search(new SearchQuery { Pattern = "needle", Glob = "**/*.ts" }).Matches.Select(m => m.Path));
        Assert.Equal(new[] { "src/b.js" }, searcher.Search(new SearchQuery { Pattern = "needle", Path = "src", Glob = "!*.ts*" }).Matches.Select(m => m.Path));
    }

    [Fact]
    public void Max_results_caps_the_lines_returned_but_not_the_count()
    {
        _tree.With(("a.txt", string.Join('\n', Enumerable.Repeat("hit", 50))), ("b.txt", "hit"));

        var result = Searcher().Search(new SearchQuery { Pattern = "hit", MaxResults = 10 });

        Assert.Equal(10, result.Matches.Count);
        Assert.Equal(51, result.TotalMatches);
        Assert.Equal(2, result.FilesWithMatches);
        Assert.True(result.Truncated);
        Assert.Contains("Showing the first 10", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_limits_are_refused()
    {
        Assert.Throws<SearchException>(() => Searcher().Search(new SearchQuery { Pattern = "x", MaxResults = 0 }));
        Assert.Throws<SearchException>(() => Searcher().Search(new SearchQuery { Pattern = "x", Context = 99 }));
        Assert.Throws<SearchException>(() => Searcher().Search(new SearchQuery { Pattern = string.Empty }));
    }

    [Fact]
    public void A_path_outside_the_workspace_is_refused()
    {
        Assert.Throws<WorkspaceAccessException>(() => Searcher().Search(new SearchQuery { Pattern = "x", Path = "/etc" }));
    }

    [Fact]
    public void A_warm_search_reads_nothing_unchanged_and_sees_every_edit()
    {
        _tree.With(("a.txt", "old\n"), ("b.txt", "other\n"));
        var searcher = Searcher();
        Assert.Equal(0, searcher.Search(new SearchQuery { Pattern = "new" }).TotalMatches);
        var reads = searcher.DiskReads;

        Assert.Equal(0, searcher.Search(new SearchQuery { Pattern = "new" }).TotalMatches);
        Assert.Equal(reads, searcher.DiskReads);

        File.WriteAllText(_tree.Full("a.txt"), "new and longer\n");
        var after = searcher.Search(new SearchQuery { Pattern = "new" });

        Assert.Equal(1, after.TotalMatches);
        Assert.Equal(reads + 1, searcher.DiskReads);
    }

    [Fact]
    public void Long_lines_are_cut_around_the_match()
    {
        _tree.With(("min.js", new string('a', 5000) + "NEEDLE" + new string('b', 5000)));

        var hit = Assert.Single(Searcher().Search(new SearchQuery { Pattern = "NEEDLE", Literal = true }).Matches);

        Assert.Contains("NEEDLE", hit.Text, StringComparison.Ordinal);
        Assert.True(hit.Text.Length < 400);
        Assert.StartsWith("…", hit.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_match_says_how_many_files_were_searched()
    {
        _tree.With(("a.txt", "x"), ("b.txt", "y"));

        Assert.Equal("No matches (searched 2 files).", Searcher().Search(new SearchQuery { Pattern = "zzz" }).ToText());
    }

    [Fact]
    public void Several_queries_in_one_pass_answer_as_each_does_alone_and_read_each_file_once()
    {
        _tree.With(("src/a.py", "def run():\n    # TODO later\n    return 1\n"), ("src/b.ts", "function run() {}\n// TODO\n"), ("lib/c.py", "x = 1\n"));
        SearchQuery[] queries =
        [
            new() { Pattern = @"def \w+\(" },
            new() { Pattern = "TODO", Literal = true, MaxResults = 1 },
            new() { Pattern = "run", Glob = "*.ts" },
            new() { Pattern = "x", Path = "lib" },
        ];
        var alone = queries.Select(q => Searcher().Search(q)).ToList();
        var searcher = Searcher();

        var together = searcher.Search(queries, _tree.Walker.Snapshot());

        Assert.Equal(alone.Select(r => r.ToText()), together.Select(r => r.ToText()));
        Assert.Equal(alone.Select(r => (r.TotalMatches, r.FilesSearched)), together.Select(r => (r.TotalMatches, r.FilesSearched)));
        Assert.Equal(3, searcher.DiskReads);
    }

    [Fact]
    public void A_search_over_a_snapshot_sees_the_files_of_the_snapshot_not_those_made_after_it()
    {
        _tree.With(("a.txt", "needle\n"));
        var snapshot = _tree.Walker.Snapshot();
        _tree.Write("b.txt", "needle\n");

        Assert.Equal(new[] { "a.txt" }, Searcher().Search(new SearchQuery { Pattern = "needle" }, snapshot).Matches.Select(m => m.Path));
        Assert.Equal(new[] { "a.txt", "b.txt" }, Searcher().Search(new SearchQuery { Pattern = "needle" }, _tree.Walker.Snapshot()).Matches.Select(m => m.Path));
    }

    [Fact]
    public void A_snapshot_of_another_workspace_is_refused()
    {
        using var other = new TestTree().With(("a.txt", "needle\n"));

        var ex = Assert.Throws<ArgumentException>(() => Searcher().Search(new SearchQuery { Pattern = "needle" }, other.Walker.Snapshot()));

        Assert.Contains(other.Root, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catastrophic_pattern_among_several_fails_the_pass_naming_it()
    {
        _tree.With(("a.txt", new string('a', 5000) + "!"));

        var ex = Assert.Throws<SearchException>(() => Searcher(new SearchOptions { RegexTimeout = TimeSpan.FromMilliseconds(100) })
            .Search([new SearchQuery { Pattern = "a" }, new SearchQuery { Pattern = "^(a+)+$" }], null));

        Assert.Contains("'^(a+)+$'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.txt", ex.Message, StringComparison.Ordinal);
    }
}

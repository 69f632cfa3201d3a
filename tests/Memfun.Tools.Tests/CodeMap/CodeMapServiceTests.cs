using System.Text;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Tests.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Tests.CodeMap;

public sealed class CodeMapServiceTests : IDisposable
{
    private readonly TestTree _tree = new TestTree().With(
        ("src/Api.cs", "namespace X;\npublic class Api\n{\n    public int Get(int id) => id;\n}\n"),
        ("src/util.py", "def helper(x):\n    return x\n"),
        ("web/app.ts", "export function start(port: number): void {}\n"),
        ("README.md", "# not code\n"),
        (".gitignore", "gen/\n"),
        ("gen/Generated.cs", "public class Generated {}\n"));

    public void Dispose() => _tree.Dispose();

    private CodeMapService Service() => new(_tree.Walker, Options.Create(new CodeMapOptions()));

    [Fact]
    public async Task The_map_covers_each_supported_file_not_ignored()
    {
        using var service = Service();

        var map = await service.MapAsync();

        Assert.Equal(new[] { "src/Api.cs", "src/util.py", "web/app.ts" }, map.Files.Select(f => f.Path));
        Assert.Equal(new[] { "csharp", "python", "typescript" }, map.Files.Select(f => f.Language));
        Assert.Equal(3, map.FilesParsed);
        Assert.True(File.Exists(_tree.Full(".memfun/codemap.db")));
    }

    [Fact]
    public async Task A_second_map_after_touching_one_file_reparses_only_that_file()
    {
        using var service = Service();
        await service.MapAsync();
        Assert.Equal(3, service.FilesParsed);

        var again = await service.MapAsync();
        Assert.Equal(0, again.FilesParsed);

        File.WriteAllText(_tree.Full("src/util.py"), "def helper(x):\n    return x\n\ndef added(y):\n    return y\n");
        var after = await service.MapAsync();

        Assert.Equal(1, after.FilesParsed);
        Assert.Equal(4, service.FilesParsed);
        Assert.Contains(after.Files.Single(f => f.Path == "src/util.py").Symbols, s => s.Name == "added");
    }

    [Fact]
    public async Task A_touched_file_with_the_same_content_is_not_reparsed()
    {
        using var service = Service();
        await service.MapAsync();
        File.SetLastWriteTimeUtc(_tree.Full("src/Api.cs"), DateTime.UtcNow.AddMinutes(5));

        var after = await service.MapAsync();

        Assert.Equal(0, after.FilesParsed);
    }

    [Fact]
    public async Task A_map_from_a_snapshot_matches_a_walked_map_and_reuses_the_file_list_while_nothing_changes()
    {
        using var service = Service();
        var walked = await service.MapAsync();

        var first = await service.MapSnapshotAsync(_tree.Walker.Snapshot());
        var second = await service.MapSnapshotAsync(_tree.Walker.Snapshot());

        Assert.Equal(walked.Files.Select(f => f.Path), first.Files.Select(f => f.Path));
        Assert.Equal(0, first.FilesParsed);
        Assert.Same(first.Files, second.Files);

        File.WriteAllText(_tree.Full("src/util.py"), "def helper(x):\n    return x\n\ndef added(y):\n    return y\n");
        var after = await service.MapSnapshotAsync(_tree.Walker.Snapshot());

        Assert.Equal(1, after.FilesParsed);
        Assert.NotSame(second.Files, after.Files);
        Assert.Contains(after.Files.Single(f => f.Path == "src/util.py").Symbols, s => s.Name == "added");
    }

    [Fact]
    public async Task A_file_deleted_since_the_last_map_leaves_the_map_and_the_sqlite_cache()
    {
        using (var service = Service())
        {
            await service.MapAsync();
            File.Delete(_tree.Full("web/app.ts"));
            var after = await service.MapSnapshotAsync(_tree.Walker.Snapshot());
            Assert.Equal(new[] { "src/Api.cs", "src/util.py" }, after.Files.Select(f => f.Path));
        }

        _tree.Write("web/app.ts", "export function start(port: number): void {}\n");
        using var restarted = Service();
        var map = await restarted.MapAsync();

        Assert.Equal(1, map.FilesParsed);
    }

    [Fact]
    public async Task The_cache_survives_a_restart_through_sqlite()
    {
        using (var first = Service())
        {
            await first.MapAsync();
        }

        using var second = Service();
        var map = await second.MapAsync();

        Assert.Equal(0, map.FilesParsed);
        Assert.Equal(3, map.Files.Count);
        Assert.Equal("public int Get(int id)", map.Files[0].Symbols[0].Children[0].Signature);
    }

    [Fact]
    public async Task A_path_maps_only_that_folder()
    {
        using var service = Service();

        var map = await service.MapAsync("src");

        Assert.Equal(new[] { "src/Api.cs", "src/util.py" }, map.Files.Select(f => f.Path));
        Assert.Equal("src", map.Root);
    }

    [Fact]
    public async Task Rendering_lists_files_with_line_numbered_signatures()
    {
        using var service = Service();
        var text = CodeMapService.Render(await service.MapAsync(), 20_000);

        Assert.Contains("## src/Api.cs (6 lines)\n2: public class Api\n  4: public int Get(int id)\n", text, StringComparison.Ordinal);
        Assert.Contains("1: export function start(port: number): void", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Omitted", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rendering_honours_max_bytes_and_says_what_was_omitted()
    {
        for (var i = 0; i < 60; i++)
        {
            var sb = new StringBuilder($"export class Widget{i} {{\n");
            for (var m = 0; m < 20; m++)
            {
                sb.Append($"  method{m}(argument: string, other: number): Promise<void> {{ return; }}\n");
            }

            _tree.Write($"lib/deep/w{i}.ts", sb.Append("}\n").ToString());
        }

        using var service = Service();
        var map = await service.MapAsync();

        foreach (var budget in new[] { 2_000, 8_000, 30_000 })
        {
            var text = CodeMapService.Render(map, budget);
            Assert.True(Encoding.UTF8.GetByteCount(text) <= budget, $"{Encoding.UTF8.GetByteCount(text)} > {budget}");
            Assert.Contains("Omitted to fit", text, StringComparison.Ordinal);
        }

        // Files with a larger public surface come first; a small budget still shows whole files.
        var small = CodeMapService.Render(map, 2_000);
        var firstHeading = small.Split('\n').First(l => l.StartsWith("## ", StringComparison.Ordinal));
        Assert.StartsWith("## lib/deep/w", firstHeading, StringComparison.Ordinal);
        var large = CodeMapService.Render(map, 30_000);
        Assert.True(large.IndexOf("## lib/deep/w", StringComparison.Ordinal) < large.IndexOf("## src/Api.cs", StringComparison.Ordinal) || !large.Contains("## src/Api.cs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dependencies_rank_after_the_projects_own_code()
    {
        _tree.Write("node_modules/big/index.ts", string.Concat(Enumerable.Range(0, 40).Select(i => $"export function api{i}(x: number): number {{ return x; }}\n")));
        using var service = Service();

        var text = CodeMapService.Render(await service.MapAsync(), 30_000);

        Assert.True(text.IndexOf("## src/Api.cs", StringComparison.Ordinal) < text.IndexOf("## node_modules/big/index.ts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Minified_and_oversized_files_are_skipped()
    {
        _tree.Write("web/bundle.js", "function a(){}" + new string(';', 5000));
        _tree.Write("web/lib.min.js", "function b(){}\n");
        using var service = new CodeMapService(_tree.Walker, Options.Create(new CodeMapOptions { MaxFileBytes = 4000 }));

        var map = await service.MapAsync("web");

        Assert.Equal(new[] { "web/app.ts" }, map.Files.Select(f => f.Path));
        Assert.Equal(1, map.FilesSkipped);
    }
}

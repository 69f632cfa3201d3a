using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests;

/// <summary>One real <c>memfun serve --stdio</c> on a small workspace, shared by the search tool tests.</summary>
public sealed class SearchToolsServerFixture : IAsyncLifetime
{
    public TempWorkspace Workspace { get; } = new("memfun-search-e2e");

    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Workspace.Write(".gitignore", "dist/\n*.log\n");
        Workspace.Write("dist/bundle.js", "function ignoredNeedle() {}\n");
        Workspace.Write("debug.log", "needle in a log\n");
        Workspace.Write("src/Orders/OrderService.cs", "namespace Shop;\n\npublic sealed class OrderService\n{\n    public Task<int> PlaceAsync(string sku, int quantity) => Task.FromResult(quantity); // needle\n}\n");
        Workspace.Write("src/app.py", "class App:\n    def run(self, port: int) -> None:\n        print('needle')\n");
        Workspace.Write("web/main.ts", "export function start(port: number): void {\n  // start here\n}\n");
        Client = await MemfunServerProcess.StartStdioAsync(Workspace.Path);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Workspace.Dispose();
    }
}

public sealed class SearchToolsEndToEndTests(SearchToolsServerFixture fixture) : IClassFixture<SearchToolsServerFixture>
{
    private McpClient Client => fixture.Client;

    private Task<CallToolResult> Call(string tool, Dictionary<string, object?> args) => Client.CallToolAsync(tool, args).AsTask();

    [Fact]
    public async Task The_tools_are_listed_as_read_only_and_idempotent_with_output_schemas()
    {
        var tools = await Client.ListToolsAsync();

        foreach (var name in new[] { "list_files", "search", "code_map" })
        {
            var tool = Assert.Single(tools, t => t.Name == name).ProtocolTool;
            Assert.True(tool.Annotations?.ReadOnlyHint, name);
            Assert.True(tool.Annotations?.IdempotentHint, name);
            Assert.False(tool.Annotations?.DestructiveHint, name);
            Assert.NotNull(tool.OutputSchema);
        }
    }

    [Fact]
    public async Task List_files_honours_gitignore_and_returns_structured_content()
    {
        var result = await Call("list_files", []);

        Assert.NotEqual(true, result.IsError);
        var text = result.Text();
        Assert.Contains("src/Orders/OrderService.cs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dist/bundle.js", text, StringComparison.Ordinal);
        Assert.DoesNotContain("debug.log", text, StringComparison.Ordinal);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(4, structured.GetProperty("total").GetInt32());
        Assert.Equal(".gitignore", structured.GetProperty("files")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task List_files_filters_by_glob_and_path()
    {
        var result = await Call("list_files", new() { ["pattern"] = "*.cs", ["path"] = "src", ["timestamps"] = true });

        var lines = result.Text().Split('\n');
        Assert.StartsWith("src/Orders/OrderService.cs  20", lines[0], StringComparison.Ordinal);
        Assert.Equal("(1 file)", lines[1]);
    }

    [Fact]
    public async Task Search_returns_file_line_text_and_skips_ignored_files()
    {
        var result = await Call("search", new() { ["pattern"] = "needle", ["literal"] = true });

        Assert.NotEqual(true, result.IsError);
        var text = result.Text();
        Assert.Contains("src/Orders/OrderService.cs:5:     public Task<int> PlaceAsync", text, StringComparison.Ordinal);
        Assert.Contains("src/app.py:3:         print('needle')", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dist/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("debug.log", text, StringComparison.Ordinal);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(2, structured.GetProperty("totalMatches").GetInt32());
        Assert.Equal("src/Orders/OrderService.cs", structured.GetProperty("matches")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Search_with_a_regex_glob_and_context()
    {
        var result = await Call("search", new() { ["pattern"] = @"def \w+\(", ["glob"] = "*.py", ["context"] = 1, ["case_sensitive"] = false });

        Assert.Contains("src/app.py-1- class App:\nsrc/app.py:2:     def run(self, port: int) -> None:\nsrc/app.py-3-", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_regex_is_a_tool_error_that_shows_the_parse_problem()
    {
        var result = await Call("search", new() { ["pattern"] = "PlaceAsync(" });

        Assert.True(result.IsError);
        Assert.Contains("not a valid regular expression", result.Text(), StringComparison.Ordinal);
        Assert.Contains("literal=true", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_map_returns_signatures_with_line_numbers()
    {
        var result = await Call("code_map", []);

        Assert.NotEqual(true, result.IsError);
        var text = result.Text();
        Assert.Contains("## src/Orders/OrderService.cs (7 lines)\n3: public sealed class OrderService\n  5: public Task<int> PlaceAsync(string sku, int quantity)", text, StringComparison.Ordinal);
        Assert.Contains("2: def run(self, port: int) -> None", text, StringComparison.Ordinal);
        Assert.Contains("1: export function start(port: number): void", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ignoredNeedle", text, StringComparison.Ordinal);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(3, structured.GetProperty("files").GetInt32());
    }

    [Fact]
    public async Task Code_map_refuses_a_budget_out_of_range()
    {
        var result = await Call("code_map", new() { ["max_bytes"] = 10 });

        Assert.True(result.IsError);
        Assert.Contains("max_bytes must be between", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_map_is_served_as_a_markdown_resource()
    {
        var resources = await Client.ListResourcesAsync();
        var resource = Assert.Single(resources, r => r.Uri == "memfun://workspace/code-map");
        Assert.Equal("text/markdown", resource.ProtocolResource.MimeType);

        var read = await Client.ReadResourceAsync("memfun://workspace/code-map");

        var content = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
        Assert.Contains("public sealed class OrderService", content.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list_files")]
    [InlineData("search")]
    [InlineData("code_map")]
    public async Task A_path_outside_the_workspace_is_refused(string tool)
    {
        var args = new Dictionary<string, object?> { ["path"] = "../" };
        if (tool == "search")
        {
            args["pattern"] = "x";
        }

        var result = await Call(tool, args);

        Assert.True(result.IsError);
        Assert.Contains("outside the workspace", result.Text(), StringComparison.Ordinal);
    }
}

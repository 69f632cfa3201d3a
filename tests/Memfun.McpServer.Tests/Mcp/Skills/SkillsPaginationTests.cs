using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp.Skills;

public sealed class SkillsPaginationTests
{
    [Fact]
    public async Task Skills_list_pages_with_a_cursor_and_sees_skills_added_while_the_server_runs()
    {
        using var ws = new TempWorkspace("memfun-skills-pages");
        for (var i = 0; i < 60; i++)
        {
            ws.Write($"skills/extra-{i:D2}/SKILL.md", $"---\nname: extra-{i:D2}\ndescription: Extra skill {i}.\n---\nDo {i}.\n");
        }

        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);
        async Task<JsonObject> List(string? cursor)
        {
            var response = await client.SendRequestAsync(new JsonRpcRequest { Method = "skills/list", Params = cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = cursor } }, CancellationToken.None);
            return (JsonObject)response.Result!;
        }

        var first = await List(null);
        var second = await List(first["nextCursor"]!.GetValue<string>());

        var names = first["skills"]!.AsArray().Concat(second["skills"]!.AsArray()).Select(s => s!["frontmatter"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(50, first["skills"]!.AsArray().Count);
        Assert.Null(second["nextCursor"]);
        Assert.Equal(68, names.Count);
        Assert.Equal(68, names.Distinct().Count());

        ws.Write("skills/zz-late/SKILL.md", "---\nname: zz-late\ndescription: Added later.\n---\nLate.\n");
        var again = await List(first["nextCursor"]!.GetValue<string>());
        Assert.Equal("zz-late", again["skills"]!.AsArray()[^1]!["frontmatter"]!["name"]!.GetValue<string>());
        Assert.Contains(await client.ListPromptsAsync(), p => p.Name == "zz-late");

        var ex = await Assert.ThrowsAsync<McpProtocolException>(() => List("not-a-cursor"));
        Assert.Equal(McpErrorCode.InvalidParams, ex.ErrorCode);
    }
}

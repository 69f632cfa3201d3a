namespace Memfun.McpServer.Mcp;

/// <summary>The REPL globals as lines for a tool result.</summary>
internal static class ReplToolCatalogView
{
    public static IEnumerable<string> Lines => Memfun.Engine.Repl.ReplToolCatalog.Tools.Select(t => $"  {t.Signature}  // {t.Description}");
}

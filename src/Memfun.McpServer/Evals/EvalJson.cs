using System.Text.Json;
using System.Text.Json.Serialization;

namespace Memfun.McpServer.Evals;

/// <summary>The JSON shape of eval results and reports: snake_case, indented, nulls kept (an unknown count is <c>null</c>).</summary>
internal static class EvalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // A report file, not HTML: diffs stay readable ('+', '<', quotes unescaped).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

using System.Text.Json.Serialization;

namespace Memfun.Tools.CodeMap;

/// <summary>Source-generated JSON for the symbols kept in the SQLite cache (fast load of large maps).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<CodeSymbol>))]
[JsonSerializable(typeof(IReadOnlyList<CodeSymbol>))]
internal sealed partial class CodeMapJsonContext : JsonSerializerContext;

using System.Text;
using System.Text.RegularExpressions;

namespace Memfun.Engine.Solving;

/// <summary>
/// The built-in <see cref="ICodeMapSource"/>: one regular expression per language family picks out
/// top-level declarations (classes, functions, methods, types) with their line numbers.
/// </summary>
/// <remarks>Thread-safe. Approximate by design; stands in for the CodeMap tool (tree-sitter/Roslyn quality).</remarks>
internal sealed partial class RegexCodeMap(IWorkspaceReader reader) : ICodeMapSource
{
    public async Task<string> GetCodeMapAsync(int maxChars, CancellationToken cancellationToken = default)
    {
        var files = reader.ListFiles(cancellationToken);
        var map = new StringBuilder();
        var skipped = 0;
        foreach (var file in files)
        {
            if (map.Length >= maxChars)
            {
                skipped++;
                continue;
            }

            map.Append(file.Path).Append(" (").Append(file.Size).Append(" B)").Append('\n');
            var regex = ForExtension(Path.GetExtension(file.Path));
            if (regex is null || file.Size > 256 * 1024)
            {
                continue;
            }

            var text = await reader.ReadTextAsync(file.Path, int.MaxValue, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                continue;
            }

            var lineNo = 0;
            var symbols = 0;
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                lineNo++;
                if (line.Length > 300 || !regex.IsMatch(line))
                {
                    continue;
                }

                var s = line.Trim().ToString();
                if (s.EndsWith('{'))
                {
                    s = s[..^1].TrimEnd();
                }

                map.Append("  ").Append(lineNo).Append(": ").Append(s).Append('\n');
                if (++symbols >= 60)
                {
                    map.Append("  …\n");
                    break;
                }
            }
        }

        if (skipped > 0)
        {
            map.Append("… and ").Append(skipped).Append(" more files\n");
        }

        return map.Length > maxChars + 200 ? map.ToString(0, maxChars) + "\n…\n" : map.ToString();
    }

    private static Regex? ForExtension(string ext) => ext.ToLowerInvariant() switch
    {
        ".py" => Python(),
        ".js" or ".jsx" or ".ts" or ".tsx" or ".mjs" or ".cjs" => Script(),
        ".cs" or ".java" or ".kt" => CSharpLike(),
        ".go" => Go(),
        ".rs" => Rust(),
        _ => null,
    };

    [GeneratedRegex(@"^\s*(async\s+def|def|class)\s+\w+")]
    private static partial Regex Python();

    [GeneratedRegex(@"^\s*(export\s+)?(default\s+)?(async\s+)?(function\*?|class|interface|type|enum|const\s+\w+\s*=\s*(async\s*)?\(|abstract\s+class)\s*\w*|^\s{2,4}(public |private |protected |static |async |get |set )*[A-Za-z_]\w*\s*\([^;]*\)\s*(:\s*[^={]+)?\{\s*$")]
    private static partial Regex Script();

    [GeneratedRegex(@"^\s*((public|internal|private|protected|static|sealed|abstract|partial|override|virtual|async|readonly|record|file)\s+)*(class|interface|struct|enum|record)\s+\w+|^\s*(public|internal|protected|private)\s+[^=;]*\w+\s*\([^;]*\)\s*(\{|=>)?\s*$")]
    private static partial Regex CSharpLike();

    [GeneratedRegex(@"^(func|type)\s+")]
    private static partial Regex Go();

    [GeneratedRegex(@"^\s*(pub(\([^)]*\))?\s+)?(fn|struct|enum|trait|impl|mod)\s+")]
    private static partial Regex Rust();
}

using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Memfun.Engine.Rlm;

/// <summary>
/// The REPL's workspace tools in their first, simple form, confined by <see cref="PathGuard"/>: read,
/// write and exact-match edit of files, file listing, regex search, a declaration outline and a shell
/// command in the workspace. web_search, web_fetch and search_history answer that they are not
/// available until the server wires the real services.
/// </summary>
/// <remarks>
/// Thread-safe. Every path is resolved by the guard, so <c>..</c>, absolute paths and links that leave
/// the workspace are refused with the guard's message. Writes into <c>.git/</c> are refused.
/// </remarks>
internal sealed class WorkspaceReplToolHost(PathGuard guard) : IReplToolHost
{
    private const int MaxHits = 10_000;
    private const long MaxReadBytes = 32L * 1024 * 1024;
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj", ".memfun" };
    private static readonly Regex Declaration = new(
        @"^\s*(?:(?:public|private|protected|internal|static|sealed|abstract|partial|async|export|default|override|virtual|readonly)\s+)*(?:class|interface|struct|record|enum|def|function|func|fn|type|module|trait|impl)\s+\w+",
        RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public async Task<JsonNode?> InvokeAsync(string tool, JsonObject arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return tool switch
        {
            "read_file" => JsonValue.Create(await ReadAsync(Required(arguments, "path"), cancellationToken).ConfigureAwait(false)),
            "write_file" => JsonValue.Create(await WriteAsync(Required(arguments, "path"), (string?)arguments["content"] ?? string.Empty, cancellationToken).ConfigureAwait(false)),
            "edit_file" => JsonValue.Create(await EditAsync(Required(arguments, "path"), Required(arguments, "old_text"), (string?)arguments["new_text"] ?? string.Empty, cancellationToken).ConfigureAwait(false)),
            "list_files" => new JsonArray([.. List((string?)arguments["path"], (string?)arguments["pattern"]).Select(p => (JsonNode?)JsonValue.Create(p))]),
            "search" => new JsonArray([.. await SearchAsync(Required(arguments, "pattern"), (string?)arguments["path"], (string?)arguments["glob"], cancellationToken).ConfigureAwait(false)]),
            "code_map" => JsonValue.Create(await OutlineAsync((string?)arguments["path"], cancellationToken).ConfigureAwait(false)),
            "run_cmd" => JsonValue.Create(await RunAsync(Required(arguments, "command"), (int?)arguments["timeout_seconds"] ?? 60, cancellationToken).ConfigureAwait(false)),
            "web_search" or "web_fetch" or "search_history" => throw new MemfunToolException($"{tool} is not available in this server's REPL yet."),
            _ => throw new MemfunToolException($"'{tool}' is not a REPL tool. The tools are: read_file, write_file, edit_file, run_cmd, list_files, search, code_map, llm_query, llm_query_batched."),
        };
    }

    private static string Required(JsonObject args, string name) =>
        (string?)args[name] is { Length: > 0 } value ? value : throw new MemfunToolException($"The argument '{name}' is required.");

    private async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = guard.ResolveExistingFile(path);
        if (new FileInfo(full).Length > MaxReadBytes)
        {
            throw new MemfunToolException($"'{path}' is larger than {MaxReadBytes / (1024 * 1024)} MiB; read it with run_cmd (head, sed -n) or search it instead.");
        }

        return await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        var full = WritablePath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var existed = File.Exists(full);
        await File.WriteAllTextAsync(full, content, cancellationToken).ConfigureAwait(false);
        return $"{(existed ? "Replaced" : "Created")} {guard.Display(full)} ({content.Length} characters).";
    }

    private async Task<string> EditAsync(string path, string oldText, string newText, CancellationToken cancellationToken)
    {
        var full = WritablePath(path);
        if (!File.Exists(full))
        {
            throw new MemfunToolException($"The file '{path}' does not exist. Use write_file to create it.");
        }

        var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
        var first = text.IndexOf(oldText, StringComparison.Ordinal);
        if (first < 0)
        {
            throw new MemfunToolException($"old_text was not found in '{path}'. Read the file again and copy the exact text to replace.");
        }

        if (text.IndexOf(oldText, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new MemfunToolException($"old_text occurs more than once in '{path}'. Include more surrounding lines so it matches once.");
        }

        await File.WriteAllTextAsync(full, string.Concat(text.AsSpan(0, first), newText, text.AsSpan(first + oldText.Length)), cancellationToken).ConfigureAwait(false);
        return $"Edited {guard.Display(full)}.";
    }

    private string WritablePath(string path)
    {
        var full = guard.Resolve(path);
        var rel = guard.Display(full);
        if (rel == ".git" || rel.StartsWith(".git/", StringComparison.Ordinal))
        {
            throw new MemfunToolException($"Writing inside .git is refused ('{path}'). Use git commands through run_cmd.");
        }

        if (Directory.Exists(full))
        {
            throw new MemfunToolException($"'{path}' is a directory.");
        }

        return full;
    }

    private List<string> List(string? path, string? pattern)
    {
        var root = guard.Resolve(path);
        if (!Directory.Exists(root))
        {
            throw new MemfunToolException($"'{path}' is not a directory of the workspace.");
        }

        Matcher? matcher = null;
        if (!string.IsNullOrWhiteSpace(pattern))
        {
            matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern.Contains('/', StringComparison.Ordinal) ? pattern : "**/" + pattern);
        }

        var result = new List<string>();
        foreach (var file in Walk(root))
        {
            var relToRoot = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (matcher is null || matcher.Match(relToRoot).HasMatches)
            {
                result.Add(guard.Display(file));
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static IEnumerable<string> Walk(string root)
    {
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            IEnumerable<string> files, dirs;
            try
            {
                files = Directory.EnumerateFiles(dir);
                dirs = Directory.EnumerateDirectories(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var f in files)
            {
                yield return f;
            }

            foreach (var d in dirs)
            {
                if (!SkippedFolders.Contains(Path.GetFileName(d)) && new DirectoryInfo(d).LinkTarget is null)
                {
                    stack.Push(d);
                }
            }
        }
    }

    private async Task<IEnumerable<JsonNode?>> SearchAsync(string pattern, string? path, string? glob, CancellationToken cancellationToken)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException ex)
        {
            throw new MemfunToolException($"The search pattern is not a valid regular expression: {ex.Message}");
        }

        var target = guard.Resolve(path);
        IEnumerable<string> files = File.Exists(target) ? [guard.Display(target)] : List(path, glob);
        var hits = new List<JsonNode?>();
        foreach (var rel in files)
        {
            var full = guard.Resolve(rel);
            if (new FileInfo(full).Length > 4 * 1024 * 1024)
            {
                continue;
            }

            var n = 0;
            foreach (var line in await File.ReadAllLinesAsync(full, cancellationToken).ConfigureAwait(false))
            {
                n++;
                if (regex.IsMatch(line))
                {
                    hits.Add(JsonValue.Create($"{rel}:{n}: {(line.Length > 300 ? line[..300] + "..." : line)}"));
                    if (hits.Count >= MaxHits)
                    {
                        hits.Add(JsonValue.Create($"... stopped at {MaxHits} hits; narrow the pattern or the path."));
                        return hits;
                    }
                }
            }
        }

        return hits;
    }

    private async Task<string> OutlineAsync(string? path, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var target = guard.Resolve(path);
        IEnumerable<string> files = File.Exists(target) ? [guard.Display(target)] : List(path, null);
        foreach (var rel in files.Take(5000))
        {
            var full = guard.Resolve(rel);
            if (new FileInfo(full).Length > 1024 * 1024)
            {
                continue;
            }

            var n = 0;
            var header = false;
            foreach (var line in await File.ReadAllLinesAsync(full, cancellationToken).ConfigureAwait(false))
            {
                n++;
                if (Declaration.IsMatch(line))
                {
                    if (!header)
                    {
                        sb.AppendLine(rel);
                        header = true;
                    }

                    sb.Append("  ").Append(n).Append(": ").AppendLine(line.Trim());
                }
            }

            if (sb.Length > 200_000)
            {
                sb.AppendLine("... outline cut at 200,000 characters; map a narrower path.");
                break;
            }
        }

        return sb.ToString();
    }

    private async Task<string> RunAsync(string command, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = guard.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.ToList())
        {
            if (key.StartsWith("MEMFUN_", StringComparison.Ordinal) || key.Contains("KEY", StringComparison.OrdinalIgnoreCase)
                || key.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) || key.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
                || key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase))
            {
                psi.Environment.Remove(key);
            }
        }

        using var process = Process.Start(psi) ?? throw new MemfunToolException("bash did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 1, 600)));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new MemfunToolException($"The command ran longer than {timeoutSeconds} s and was stopped.");
        }

        var text = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        return $"exit code {process.ExitCode}\n{OutputClip.Clip(text, 20_000)}";
    }
}

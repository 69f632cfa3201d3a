using System.Text;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Solving;

/// <summary>Steps 1–3: code map, planner (large workspaces only), gather.</summary>
internal sealed partial class ContextFirstSolver
{
    private async Task<string> GatherAsync(SolverRun run, IChatClient model, string query, string? focusPath, bool numbered, CancellationToken ct)
    {
        run.Step(1, "Mapping the workspace");
        // Listed once: the code map, the size rule and the searches all work from this one walk of the workspace.
        var files = reader.ListFiles(ct);
        var map = await codeMap.GetCodeMapAsync(Math.Min(60_000, options.MaxContextChars / 4), files, ct).ConfigureAwait(false);
        var context = new StringBuilder();
        context.Append("## Workspace code map\n").Append(map).Append('\n');
        var budget = options.MaxContextChars - context.Length;
        var included = new HashSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder("## Files\n");

        async Task Include(string path, string reason)
        {
            if (!included.Add(path) || body.Length >= budget)
            {
                return;
            }

            var text = await reader.ReadTextAsync(path, Math.Min(120_000, Math.Max(1000, budget - body.Length)), ct).ConfigureAwait(false);
            if (text is null)
            {
                run.Notes.Add($"{reason} '{path}' was skipped: it does not exist, is binary, or lies outside the workspace.");
                return;
            }

            body.Append("### ").Append(path).Append("\n```\n").Append(numbered ? Numbered(text) : text).Append("\n```\n");
        }

        var focus = FocusFiles(files, focusPath);
        var total = files.TotalBytes;
        if (total < options.SmallWorkspaceBytes)
        {
            run.Step(3, $"Reading the whole workspace ({files.Count} files, {total / 1024.0:0.#} KB)");
            foreach (var f in focus.Concat(files.Select(f => f.Path)))
            {
                await Include(f, "File").ConfigureAwait(false);
            }

            return context.Append(body).ToString();
        }

        foreach (var f in focus)
        {
            await Include(f, "File").ConfigureAwait(false);
        }

        // Files the request names by path or file name come first, at no model cost.
        foreach (var f in files.Where(f => Mentions(query, f.Path)).Take(20))
        {
            await Include(f.Path, "File").ConfigureAwait(false);
        }

        if (focusPath is null)
        {
            run.Step(2, "Planning what to read");
            run.Planned = true;
            var response = await model.GetResponseAsync(
                [new ChatMessage(ChatRole.System, SolverPrompts.Planner), new ChatMessage(ChatRole.User, $"## Workspace code map\n{map}\n## Request\n{query}\n")],
                new ChatOptions(), ct).ConfigureAwait(false);
            IReadOnlyList<string> read = [], search = [], web = [];
            try
            {
                (read, search, web) = ModelAnswerParser.ParsePlan(response.Text);
            }
            catch (MalformedAnswerException ex)
            {
                run.Notes.Add($"The planner's answer was unusable ({ex.Message}); the context is the code map and the files the request names.");
            }

            run.Step(3, $"Gathering {read.Count} file(s) and {search.Count} search(es)");
            foreach (var path in read)
            {
                await Include(path, "Planned file").ConfigureAwait(false);
            }

            if (search.Count > 0)
            {
                body.Append("## Search results\n");
                var hits = await reader.SearchAsync(search, 40, files, ct).ConfigureAwait(false);
                foreach (var pattern in search)
                {
                    body.Append("### /").Append(pattern).Append("/\n");
                    foreach (var h in hits.Where(h => h.Pattern == pattern))
                    {
                        body.Append(h.Path).Append(':').Append(h.Line).Append(": ").Append(h.Text).Append('\n');
                    }
                }
            }

            if (web.Count > 0)
            {
                run.Notes.Add($"Web queries were planned but not fetched (no web access in this tier): {string.Join("; ", web)}.");
            }
        }
        else
        {
            run.Step(3, $"Gathering {focus.Count} file(s) under '{focusPath}'");
        }

        return context.Append(body).ToString();
    }

    private List<string> FocusFiles(IReadOnlyList<WorkspaceFile> files, string? focusPath)
    {
        if (string.IsNullOrWhiteSpace(focusPath) || focusPath.Trim() is "." or "/")
        {
            return [];
        }

        var full = Memfun.Tools.Workspace.PathGuard.RealPath(Path.GetFullPath(Path.Combine(reader.Root, focusPath)));
        var rel = Path.GetRelativePath(reader.Root, full).Replace(Path.DirectorySeparatorChar, '/');
        if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
        {
            throw new Memfun.Tools.Workspace.WorkspaceAccessException($"The path '{focusPath}' resolves outside the workspace root '{reader.Root}'. Pass a path relative to the workspace.");
        }

        var matched = files.Where(f => f.Path == rel || f.Path.StartsWith(rel + "/", StringComparison.Ordinal)).Select(f => f.Path).ToList();
        if (matched.Count == 0)
        {
            throw new Memfun.Tools.MemfunToolException($"Nothing to read at '{focusPath}': no such file or folder (or only ignored/binary files) in the workspace.");
        }

        return matched;
    }

    private static bool Mentions(string query, string path)
    {
        if (query.Contains(path, StringComparison.Ordinal))
        {
            return true;
        }

        var name = Path.GetFileName(path);
        return name.Length >= 4 && name.Contains('.', StringComparison.Ordinal) && query.Contains(name, StringComparison.Ordinal);
    }

    private static string Numbered(string text)
    {
        var sb = new StringBuilder(text.Length + (text.Length / 20));
        var n = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            sb.Append(++n).Append(": ").Append(line).Append('\n');
        }

        return sb.ToString();
    }
}

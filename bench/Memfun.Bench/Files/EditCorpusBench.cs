using System.Diagnostics;
using System.Globalization;
using Memfun.Tools.Files;
using Memfun.Tools.Tests.Files;
using Memfun.Tools.Workspace;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.Bench.Files;

/// <summary>
/// The edit corpus (real C#, Python, TypeScript and Go files; exact, indentation, tabs/spaces, trailing-space and
/// one-letter-slip drifts, each edit adding one line) through memfun's edit engine and, in the same run, through the
/// reference servers: <c>@modelcontextprotocol/server-filesystem</c>'s <c>edit_file</c> and DesktopCommander's
/// <c>edit_block</c>. Counts, per drift kind, the edits that landed cleanly (the file exactly as meant), the ones
/// refused, and the ones that landed but changed the file otherwise (rewrote its own lines or wrote the slip).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Memfun.Bench -- edits [per-kind-per-file] [--desktop-commander DIR]</c>.
/// DesktopCommander is not part of <c>tools/install-node-tools.sh</c>: install it once with
/// <c>npm install --prefix /tmp/dc @wonderwhy-er/desktop-commander</c> and pass <c>--desktop-commander /tmp/dc</c>.
/// </remarks>
internal static class EditCorpusBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var perKind = args.Length > 0 && int.TryParse(args[0], out var k) ? k : 8;
        var dcIndex = Array.IndexOf(args, "--desktop-commander");
        var dcDir = dcIndex >= 0 && dcIndex + 1 < args.Length ? Path.GetFullPath(args[dcIndex + 1]) : null;
        var repo = FindRepo();
        var cases = EditCorpus.Generate(EditCorpus.Sources(Path.Combine(repo, "tests", "Memfun.Tools.Tests", "Files", "EditCorpus")), perKind);
        Console.WriteLine($"{cases.Count} edits from {cases.Select(c => c.File).Distinct().Count()} files; load average {Load()}");

        var results = new Dictionary<string, List<(EditCase Case, string Outcome)>>(StringComparer.Ordinal);
        var ws = Directory.CreateTempSubdirectory("memfun-edit-bench-").FullName;
        try
        {
            var editor = new FileEditor(new PathGuard(ws), new ReadCache());
            var sw = Stopwatch.StartNew();
            results["memfun edit_file"] = [.. cases.Select(c => (c, Classify(ws, c, () => editor.Edit(c.File, c.OldText, c.NewText, false, false))))];
            Console.WriteLine($"memfun: {sw.Elapsed.TotalMilliseconds / cases.Count:F2} ms per edit (in process)");

            var node = Path.Combine(repo, ".tools", "node", "bin", "node");
            var fs = Path.Combine(repo, ".tools", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
            if (File.Exists(node) && File.Exists(fs))
            {
                results["server-filesystem edit_file"] = await ThroughServerAsync(node, [fs, ws], ws, cases, c => ("edit_file", new Dictionary<string, object?>
                {
                    ["path"] = Path.Combine(ws, c.File),
                    ["edits"] = new[] { new Dictionary<string, object?> { ["oldText"] = c.OldText, ["newText"] = c.NewText } },
                }));
            }
            else
            {
                Console.WriteLine("server-filesystem: not installed (run tools/install-node-tools.sh)");
            }

            var dc = dcDir is null ? null : Path.Combine(dcDir, "node_modules", "@wonderwhy-er", "desktop-commander", "dist", "index.js");
            if (dc is not null && File.Exists(dc) && File.Exists(node))
            {
                results["DesktopCommander edit_block"] = await ThroughServerAsync(node, [dc], ws, cases, c => ("edit_block", new Dictionary<string, object?>
                {
                    ["file_path"] = Path.Combine(ws, c.File),
                    ["old_string"] = c.OldText,
                    ["new_string"] = c.NewText,
                    ["expected_replacements"] = 1,
                }));
            }
            else
            {
                Console.WriteLine("DesktopCommander: not measured (pass --desktop-commander DIR after npm install --prefix DIR @wonderwhy-er/desktop-commander)");
            }
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| drift | edits | " + string.Join(" | ", results.Keys.Select(n => $"{n}: clean / refused / changed otherwise")) + " |");
        Console.WriteLine("|---|---|" + string.Concat(results.Keys.Select(_ => "---|")));
        foreach (var kind in EditCorpus.Kinds.Append("all"))
        {
            var row = $"| {kind} | {cases.Count(c => kind == "all" || c.Kind == kind)} |";
            foreach (var r in results.Values)
            {
                var of = r.Where(x => kind == "all" || x.Case.Kind == kind).ToList();
                row += string.Create(CultureInfo.InvariantCulture,
                    $" {of.Count(x => x.Outcome == "clean")} ({(double)of.Count(x => x.Outcome == "clean") / Math.Max(1, of.Count):P0}) / {of.Count(x => x.Outcome == "refused")} / {of.Count(x => x.Outcome == "wrong")} |");
            }

            Console.WriteLine(row);
        }

        return 0;
    }

    private static string Classify(string ws, EditCase c, Action edit)
    {
        var path = Path.Combine(ws, c.File);
        File.WriteAllText(path, c.Original);
        try
        {
            edit();
        }
        catch (EditMatchException)
        {
            return "refused";
        }

        var after = File.ReadAllText(path);
        return after == c.Expected ? "clean" : after == c.Original ? "refused" : "wrong";
    }

    private static async Task<List<(EditCase, string)>> ThroughServerAsync(
        string node, string[] args, string ws, List<EditCase> cases, Func<EditCase, (string Tool, Dictionary<string, object?> Args)> call)
    {
        var home = Directory.CreateTempSubdirectory("memfun-edit-bench-home-").FullName;
        try
        {
            var transport = new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(args[0]))!),
                Command = node,
                Arguments = args,
                WorkingDirectory = ws,
                EnvironmentVariables = new Dictionary<string, string?> { ["HOME"] = home },
                StandardErrorLines = _ => { },
            });
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
            var list = new List<(EditCase, string)>();
            foreach (var c in cases)
            {
                var path = Path.Combine(ws, c.File);
                await File.WriteAllTextAsync(path, c.Original);
                var (tool, arguments) = call(c);
                CallToolResult r;
                try
                {
                    r = await client.CallToolAsync(tool, arguments);
                }
                catch (McpException)
                {
                    list.Add((c, "refused"));
                    continue;
                }

                var after = await File.ReadAllTextAsync(path);
                list.Add((c, after == c.Expected ? "clean" : after == c.Original ? "refused" : "wrong"));
                _ = r;
            }

            return list;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Memfun.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Memfun.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>
/// The session every real host is driven through, on the workspace <see cref="CreateWorkspace"/> makes: read, list,
/// search, code map, an edit, a new file, run_cmd, git_status, remember then recall, a REPL kept across two calls,
/// and one call with a wrong argument. Each step names what the model must read in the result for it to count.
/// </summary>
public static partial class MemfunSession
{
    /// <summary>One step: the memfun tool, its arguments (from the results so far), what the result must show, and whether it must be a tool error.</summary>
    public sealed record Step(string Tool, Func<IReadOnlyList<ObservedToolResult>, JsonObject> Arguments, string[] MustShow, bool ToolError = false);

    /// <summary>The steps, in order.</summary>
    public static IReadOnlyList<Step> Steps { get; } =
    [
        new("read_file", _ => new() { ["path"] = "src/app.py" }, ["print('hello')"]),
        new("list_files", _ => new(), ["src/Greeter.cs", "src/app.py"]),
        new("search", _ => new() { ["pattern"] = "hello" }, ["src/app.py", "print('hello')"]),
        new("code_map", _ => new() { ["path"] = "src" }, ["Greeter", "Hello", "main"]),
        new("edit_file", _ => new() { ["path"] = "src/app.py", ["old_text"] = "print('hello')", ["new_text"] = "print('hello, host')" }, ["hello, host"]),
        new("write_file", _ => new() { ["path"] = "notes/new.txt", ["content"] = "written by the host\n" }, ["notes/new.txt"]),
        new("run_cmd", _ => new() { ["command"] = "echo host-$((6*7))" }, ["host-42"]),
        new("git_status", _ => new(), ["src/app.py", "notes/"]),
        new("remember", _ => new() { ["text"] = "The build command is make memfun-hosts." }, ["make memfun-hosts"]),
        new("recall", _ => new() { ["query"] = "build command" }, ["make memfun-hosts"]),
        new("repl_start", _ => new(), []),
        new("repl_exec", r => new() { ["session"] = ReplSession(r), ["code"] = "var answer = 20 + 1;" }, []),
        new("repl_exec", r => new() { ["session"] = ReplSession(r), ["code"] = "Console.WriteLine(answer * 2);" }, ["42"]),
        new("repl_stop", r => new() { ["session"] = ReplSession(r) }, ["stopped"]),
        new("edit_file", _ => new() { ["path"] = "src/app.py", ["old_text"] = "no such text", ["new_text"] = "x" }, ["old_text was not found"], ToolError: true),
    ];

    /// <summary>The workspace: a git repository with a Python and a C# file, committed.</summary>
    public static TempWorkspace CreateWorkspace()
    {
        var ws = new TempWorkspace("memfun-host");
        ws.Write("src/app.py", "def main():\n    print('hello')\n");
        ws.Write("src/Greeter.cs", "namespace Demo;\n\npublic class Greeter\n{\n    public string Hello() => \"hi\";\n}\n");
        ws.Write(".gitignore", ".memfun/\n");
        Git(ws.Path, "init", "-q");
        Git(ws.Path, "add", "-A");
        Git(ws.Path, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "init");
        return ws;
    }

    /// <summary>The scripted model's calls for a host that names memfun's tools <paramref name="hostName"/>(tool), in <paramref name="ns"/> if it groups them.</summary>
    public static List<ScriptedToolCall> Script(Func<string, string> hostName, string? ns = null) =>
        [.. Steps.Select(s => new ScriptedToolCall(hostName(s.Tool), ns, s.Arguments))];

    /// <summary>
    /// What is wrong with what the host showed the model, one line a step (empty when all is well): a step whose result
    /// is missing, rejected by the host (an MCP error in place of the result), lacks what it must show, or has the wrong error mark.
    /// <paramref name="offset"/> is the number of host-specific steps before the session (Claude Code's ToolSearch).
    /// </summary>
    public static List<string> Problems(IReadOnlyList<ObservedToolResult> results, int offset = 0)
    {
        var problems = new List<string>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            if (offset + i >= results.Count)
            {
                problems.Add($"{step.Tool} (step {i + 1}): no result reached the model");
                continue;
            }

            var r = results[offset + i];
            if (Rejected().IsMatch(r.Text))
            {
                problems.Add($"{step.Tool} (step {i + 1}): the host rejected the result: {Cut(r.Text)}");
                continue;
            }

            var missing = step.MustShow.Where(m => !r.Text.Contains(m, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{step.Tool} (step {i + 1}): the model never saw {string.Join(", ", missing.Select(m => $"'{m}'"))} in: {Cut(r.Text)}");
            }

            if (r.IsError is { } isError && isError != step.ToolError)
            {
                problems.Add($"{step.Tool} (step {i + 1}): expected {(step.ToolError ? "a tool error" : "a result")}, the host marked it {(isError ? "an error" : "a result")}: {Cut(r.Text)}");
            }
        }

        return problems;
    }

    /// <summary>A table of what the model saw for each step (for the test output and docs/hosts.md).</summary>
    public static string Table(IReadOnlyList<ObservedToolResult> results) =>
        string.Join("\n", results.Select((r, i) => $"{i + 1,2}. {r.Name} [{(r.IsError switch { true => "error", false => "ok", null => "-" })}] {Cut(r.Text, 300)}"));

    private static string ReplSession(IReadOnlyList<ObservedToolResult> results)
    {
        foreach (var r in results)
        {
            var m = SessionId().Match(r.Text);
            if (m.Success)
            {
                return m.Groups["id"].Value;
            }
        }

        return "no-session-seen";
    }

    private static string Cut(string text, int max = 400) =>
        (text.Length <= max ? text : text[..max] + "…").ReplaceLineEndings("⏎");

    private static void Git(string dir, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        }
    }

    [GeneratedRegex(@"REPL session (?<id>[0-9a-f]{6,}) started|""session""\s*:\s*""(?<id>[0-9a-f]{6,})""")]
    private static partial Regex SessionId();

    [GeneratedRegex(@"MCP error -?\d+|Structured content does not match|Connection closed|not connected", RegexOptions.IgnoreCase)]
    private static partial Regex Rejected();
}

using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// A tiny suite of real tasks written to a temp folder: a Python unittest bug (<c>{test}</c>), a JavaScript
/// <c>node --test</c> bug (<c>{tests}</c>), both with test.patch and gold.patch made by git, and a Terminal-Bench-style
/// task; plus a local git repository with a SWE-bench JSONL instance at an older commit.
/// </summary>
internal static class EvalFixtures
{
    public const string PyStatement = "add(a, b) in calc.py subtracts instead of adding: add(2, 3) returns -1.";
    public const string JsStatement = "slugify in slug.mjs keeps upper-case letters: slugify('Hello World') must be 'hello-world'.";
    public const string TermStatement = "Create the file greeting.txt in the workspace holding exactly one line: hello eval";
    public const string SweStatement = "widgets.double(x) triples its argument instead of doubling it.";

    /// <summary>The Terminal-Bench task's solution, as the reference model writes it (format (c) has no gold patch).</summary>
    public static readonly Dictionary<string, string> TerminalSolution = new() { ["greeting.txt"] = "hello eval\n" };

    /// <summary>Writes the three-task suite under <paramref name="root"/> and returns the suite folder.</summary>
    public static string WriteSuite(string root)
    {
        var suite = Path.Combine(root, "suite");
        WriteFolderTask(
            Path.Combine(suite, "py-add"),
            new() { ["calc.py"] = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n", ["test_sub.py"] = SubTest },
            tests: new() { ["test_calc.py"] = "import unittest\n\nfrom calc import add\n\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n\nif __name__ == '__main__':\n    unittest.main()\n" },
            gold: new() { ["calc.py"] = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n" },
            new { problem_statement = PyStatement, FAIL_TO_PASS = new[] { "test_calc.AddTest.test_add" }, PASS_TO_PASS = new[] { "test_sub.SubTest.test_sub" }, test_command = "python3 -m unittest {test}", language = "python" });
        WriteFolderTask(
            Path.Combine(suite, "js-slug"),
            new()
            {
                ["slug.mjs"] = "export function slugify(text) {\n  return text.trim().split(/\\s+/).join('-');\n}\n",
                ["test/trim.test.mjs"] = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from '../slug.mjs';\n\ntest('trims', () => assert.equal(slugify('  a  '), 'a'));\n",
            },
            tests: new() { ["test/lower.test.mjs"] = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from '../slug.mjs';\n\ntest('lower-cases', () => assert.equal(slugify('Hello World'), 'hello-world'));\n" },
            gold: new() { ["slug.mjs"] = "export function slugify(text) {\n  return text.trim().toLowerCase().split(/\\s+/).join('-');\n}\n" },
            new { problem_statement = JsStatement, FAIL_TO_PASS = new[] { "test/lower.test.mjs" }, PASS_TO_PASS = new[] { "test/trim.test.mjs" }, test_command = $"'{NodeTools.Node}' --test {{tests}}", language = "javascript", timeout_seconds = 120 });

        var term = Path.Combine(suite, "term-greet");
        Write(term, "instruction.md", TermStatement + "\n");
        Write(term, "workspace/README.md", "A workspace for a greeting.\n");
        Write(term, "check.sh", "#!/bin/sh\ngrep -qx 'hello eval' greeting.txt\n");
        return suite;
    }

    private const string SubTest = "import unittest\n\nfrom calc import sub\n\n\nclass SubTest(unittest.TestCase):\n    def test_sub(self):\n        self.assertEqual(sub(5, 3), 2)\n";

    /// <summary>
    /// Makes <c>repos/acme__widgets</c>, a git repository whose first commit has the bug and whose second adds a
    /// test_widgets.py of its own (so the test patch only applies at the base commit), and a JSONL file with the
    /// instance (FAIL_TO_PASS as a JSON-encoded string, as the published datasets have it). Returns (jsonl, repos).
    /// </summary>
    public static (string Jsonl, string Repos) WriteSweBench(string root)
    {
        var repos = Path.Combine(root, "repos");
        var repo = Path.Combine(repos, "acme__widgets");
        Write(repo, "widgets.py", "def double(x):\n    return x * 3\n");
        Git(repo, "init", "-q");
        Commit(repo, "base");
        var baseCommit = Git(repo, "rev-parse", "HEAD").Trim();
        Write(repo, "test_widgets.py", "# upstream's later test file\n");
        Write(repo, "widgets.py", "def double(x):\n    return x * 3\n\n\ndef half(x):\n    return x / 2\n");
        Commit(repo, "later");

        var testPatch = MakePatch(new() { ["widgets.py"] = "def double(x):\n    return x * 3\n" }, new() { ["test_widgets.py"] = "import unittest\n\nfrom widgets import double\n\n\nclass DoubleTest(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(double(4), 8)\n" });
        var gold = MakePatch(new() { ["widgets.py"] = "def double(x):\n    return x * 3\n" }, new() { ["widgets.py"] = "def double(x):\n    return x * 2\n" });
        var line = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["instance_id"] = "acme__widgets-1",
            ["repo"] = "acme/widgets",
            ["base_commit"] = baseCommit,
            ["patch"] = gold,
            ["test_patch"] = testPatch,
            ["problem_statement"] = SweStatement,
            ["hints_text"] = "",
            ["FAIL_TO_PASS"] = "[\"test_widgets.DoubleTest.test_double\"]",
            ["PASS_TO_PASS"] = "[]",
            ["test_command"] = "python3 -m unittest {test}",
        });
        var jsonl = Path.Combine(root, "instances.jsonl");
        File.WriteAllText(jsonl, line + "\n");
        return (jsonl, repos);
    }

    /// <summary>
    /// The files the gold patch leaves, as the solver's operations: what the reference model answers for a task. A new
    /// file is a write; a changed one an edit of its whole text (a write that shortens a file by more than 30 % is
    /// refused by the solver as a likely cut-off answer).
    /// </summary>
    public static async Task<string> GoldAnswerAsync(EvalTask task)
    {
        if (task.Format == EvalTaskFormat.Terminal && task.GoldPatch is null)
        {
            return Answer(TerminalSolution);
        }

        using var ws = await EvalWorkspace.CreateAsync(task);
        var files = EvalWorkspace.PatchedFiles(task.GoldPatch!);
        var before = files.ToDictionary(f => f, f => File.Exists(Path.Combine(ws.Path, f)) ? File.ReadAllText(Path.Combine(ws.Path, f)) : null);
        var patch = Path.Combine(Path.GetTempPath(), "memfun-gold-" + Guid.NewGuid().ToString("N") + ".patch");
        await File.WriteAllTextAsync(patch, task.GoldPatch!);
        try
        {
            Git(ws.Path, "apply", patch);
        }
        finally
        {
            File.Delete(patch);
        }

        return JsonSerializer.Serialize(new
        {
            summary = "Applied the reference change.",
            operations = files.Select(f => (object)(before[f] is { } old
                ? new { op = "edit", path = f, old, @new = File.ReadAllText(Path.Combine(ws.Path, f)) }
                : new { op = "write", path = f, content = File.ReadAllText(Path.Combine(ws.Path, f)) })).ToArray(),
        });
    }

    /// <summary>A solver answer writing each file whole.</summary>
    public static string Answer(IReadOnlyDictionary<string, string> files) => JsonSerializer.Serialize(new
    {
        summary = "Applied the reference change.",
        operations = files.Select(f => new { op = "write", path = f.Key, content = f.Value }).ToArray(),
    });

    private static void WriteFolderTask(string dir, Dictionary<string, string> repo, Dictionary<string, string> tests, Dictionary<string, string> gold, object taskJson)
    {
        foreach (var (path, content) in repo)
        {
            Write(dir, "repo/" + path, content);
        }

        Write(dir, "test.patch", MakePatch(repo, tests));
        Write(dir, "gold.patch", MakePatch(repo, gold));
        Write(dir, "task.json", JsonSerializer.Serialize(taskJson));
    }

    /// <summary>A unified diff (git's) that turns <paramref name="before"/> into <paramref name="before"/> overwritten with <paramref name="after"/>.</summary>
    private static string MakePatch(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        using var scratch = new TempWorkspace("memfun-patch");
        foreach (var (path, content) in before)
        {
            scratch.Write(path, content);
        }

        Git(scratch.Path, "init", "-q");
        Commit(scratch.Path, "before");
        foreach (var (path, content) in after)
        {
            scratch.Write(path, content);
        }

        Git(scratch.Path, "add", "-A");
        return Git(scratch.Path, "diff", "--cached");
    }

    private static void Commit(string repo, string message)
    {
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message);
    }

    private static void Write(string dir, string relative, string content)
    {
        var full = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public static string Git(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
    }
}

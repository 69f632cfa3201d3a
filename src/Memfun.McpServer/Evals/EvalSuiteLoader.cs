using System.Text.Json;

namespace Memfun.McpServer.Evals;

/// <summary>
/// Reads a suite: a SWE-bench JSONL file (one instance a line, repositories found under <c>--repos</c>), or a folder
/// whose subfolders are tasks (<c>task.json</c> + <c>repo/</c>, or Terminal-Bench style <c>instruction.md</c> +
/// <c>workspace/</c> + <c>check.sh</c>); a folder that is itself one task is a suite of one.
/// </summary>
/// <remarks>Every problem is an <see cref="EvalSuiteException"/> naming the file (and line) and what to fix; nothing is run.</remarks>
internal static class EvalSuiteLoader
{
    /// <summary>The test command of a SWE-bench instance that has none: pytest over the instance's test ids.</summary>
    public const string DefaultSweBenchTestCommand = "python3 -m pytest -q -p no:cacheprovider {tests}";

    private const int DefaultTimeoutSeconds = 300;

    public static EvalSuite Load(string path, string? reposDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return new EvalSuite(System.IO.Path.GetFileNameWithoutExtension(full), full, LoadJsonl(full, reposDirectory));
        }

        if (!Directory.Exists(full))
        {
            throw new EvalSuiteException($"The suite '{path}' does not exist: give a suite folder (task subfolders) or a SWE-bench .jsonl file.");
        }

        var name = System.IO.Path.GetFileName(full.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        if (IsTaskFolder(full))
        {
            return new EvalSuite(name, full, [LoadFolderTask(full)]);
        }

        var tasks = new List<EvalTask>();
        foreach (var dir in Directory.GetDirectories(full).Order(StringComparer.Ordinal))
        {
            var leaf = System.IO.Path.GetFileName(dir);
            if (leaf.StartsWith('.') || leaf.StartsWith('_'))
            {
                continue;
            }

            if (!IsTaskFolder(dir))
            {
                throw new EvalSuiteException($"'{dir}' is not a task: a task folder holds task.json and repo/, or instruction.md, workspace/ and check.sh (prefix a folder with '_' to skip it).");
            }

            tasks.Add(LoadFolderTask(dir));
        }

        if (tasks.Count == 0)
        {
            throw new EvalSuiteException($"The suite '{path}' has no task folders.");
        }

        var duplicate = tasks.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? new EvalSuite(name, full, tasks) : throw new EvalSuiteException($"The suite '{path}' has two tasks with the id '{duplicate.Key}'.");
    }

    private static bool IsTaskFolder(string dir) =>
        File.Exists(System.IO.Path.Combine(dir, "task.json")) || File.Exists(System.IO.Path.Combine(dir, "instruction.md"));

    private static EvalTask LoadFolderTask(string dir)
    {
        var id = System.IO.Path.GetFileName(dir);
        var taskJson = System.IO.Path.Combine(dir, "task.json");
        if (!File.Exists(taskJson))
        {
            return LoadTerminalTask(dir, id);
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(taskJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EvalSuiteException($"'{taskJson}' is not valid JSON: {ex.Message}", ex);
        }

        var repo = System.IO.Path.Combine(dir, "repo");
        if (!Directory.Exists(repo))
        {
            throw new EvalSuiteException($"The task folder '{dir}' has task.json but no repo/ folder (the workspace the agent works in).");
        }

        var task = FromJson(root, taskJson, id, repo);
        return task with
        {
            GoldPatch = task.GoldPatch ?? ReadOptional(System.IO.Path.Combine(dir, "gold.patch")),
            TestPatch = task.TestPatch ?? ReadOptional(System.IO.Path.Combine(dir, "test.patch")),
            TestCommand = task.TestCommand ?? throw new EvalSuiteException($"'{taskJson}' has no \"test_command\": say how to run a test, with {{test}} (one id) or {{tests}} (a set's ids)."),
        };
    }

    private static EvalTask LoadTerminalTask(string dir, string id)
    {
        var workspace = System.IO.Path.Combine(dir, "workspace");
        var check = System.IO.Path.Combine(dir, "check.sh");
        if (!Directory.Exists(workspace) || !File.Exists(check))
        {
            throw new EvalSuiteException($"The Terminal-Bench-style task '{dir}' needs instruction.md, a workspace/ folder and check.sh.");
        }

        var instruction = File.ReadAllText(System.IO.Path.Combine(dir, "instruction.md"));
        if (string.IsNullOrWhiteSpace(instruction))
        {
            throw new EvalSuiteException($"'{System.IO.Path.Combine(dir, "instruction.md")}' is empty: say what the agent should do.");
        }

        return new EvalTask
        {
            Id = id,
            Format = EvalTaskFormat.Terminal,
            ProblemStatement = instruction.Trim(),
            Source = workspace,
            CheckScript = check,
            FailToPass = ["check.sh"],
            GoldPatch = ReadOptional(System.IO.Path.Combine(dir, "gold.patch")),
        };
    }

    private static List<EvalTask> LoadJsonl(string file, string? reposDirectory)
    {
        var tasks = new List<EvalTask>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new EvalSuiteException($"{file}:{number} is not a JSON object: {ex.Message}", ex);
            }

            var where = $"{file}:{number}";
            var id = Text(root, "instance_id", where) ?? throw new EvalSuiteException($"{where} has no \"instance_id\".");
            var repo = Text(root, "repo", where) ?? throw new EvalSuiteException($"{where} ({id}) has no \"repo\" (owner/name).");
            var checkout = FindCheckout(repo, reposDirectory, where);
            var task = FromJson(root, where, id, checkout) with { Format = EvalTaskFormat.SweBench, Repo = repo };
            if (string.IsNullOrWhiteSpace(task.BaseCommit))
            {
                throw new EvalSuiteException($"{where} ({id}) has no \"base_commit\".");
            }

            tasks.Add(task with { TestCommand = task.TestCommand ?? DefaultSweBenchTestCommand });
        }

        if (tasks.Count == 0)
        {
            throw new EvalSuiteException($"'{file}' holds no instances (one JSON object a line).");
        }

        return tasks;
    }

    /// <summary>The local checkout of <c>owner/name</c>: <c>DIR/owner__name</c>, else <c>DIR/name</c>.</summary>
    private static string FindCheckout(string repo, string? reposDirectory, string where)
    {
        if (string.IsNullOrWhiteSpace(reposDirectory))
        {
            throw new EvalSuiteException($"{where} is a SWE-bench instance of '{repo}': pass --repos DIR, the folder holding its git checkout as DIR/{repo.Replace('/', '_').Replace("_", "__", StringComparison.Ordinal)} or DIR/{repo.Split('/')[^1]}.");
        }

        var root = System.IO.Path.GetFullPath(reposDirectory);
        string[] candidates = [System.IO.Path.Combine(root, repo.Replace("/", "__", StringComparison.Ordinal)), System.IO.Path.Combine(root, repo.Split('/')[^1])];
        return candidates.FirstOrDefault(c => Directory.Exists(System.IO.Path.Combine(c, ".git")) || File.Exists(System.IO.Path.Combine(c, ".git")))
            ?? throw new EvalSuiteException($"{where}: no git checkout of '{repo}' under '{root}' (looked for {string.Join(" and ", candidates)}).");
    }

    private static EvalTask FromJson(JsonElement root, string where, string fallbackId, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new EvalSuiteException($"{where} is not a JSON object.");
        }

        var id = Text(root, "instance_id", where) ?? fallbackId;
        var problem = Text(root, "problem_statement", where);
        if (string.IsNullOrWhiteSpace(problem))
        {
            throw new EvalSuiteException($"{where} ({id}) has no \"problem_statement\": say what the agent should do.");
        }

        var timeout = DefaultTimeoutSeconds;
        if (root.TryGetProperty("timeout_seconds", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out timeout) || timeout is < 1 or > 86_400)
            {
                throw new EvalSuiteException($"{where} ({id}): \"timeout_seconds\" must be a whole number of seconds from 1 to 86400.");
            }
        }

        return new EvalTask
        {
            Id = id,
            Format = EvalTaskFormat.Folder,
            ProblemStatement = problem.Trim(),
            Source = source,
            BaseCommit = Text(root, "base_commit", where),
            GoldPatch = Text(root, "patch", where),
            TestPatch = Text(root, "test_patch", where),
            Hints = Text(root, "hints_text", where),
            FailToPass = Ids(root, "FAIL_TO_PASS", where),
            PassToPass = Ids(root, "PASS_TO_PASS", where),
            TestCommand = Text(root, "test_command", where),
            SetupCommand = Text(root, "setup_command", where),
            Language = Text(root, "language", where),
            TimeoutSeconds = timeout,
        };
    }

    private static string? Text(JsonElement root, string name, string where) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? (v.GetString() is { Length: > 0 } s ? s : null)
        : throw new EvalSuiteException($"{where}: \"{name}\" must be a string.");

    /// <summary>A list of test ids: a JSON array of strings, or (as the published datasets have it) a string holding one.</summary>
    private static List<string> Ids(JsonElement root, string name, string where)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                return [];
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                v = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new EvalSuiteException($"{where}: \"{name}\" is a string that is not a JSON array of test ids: {ex.Message}", ex);
            }
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new EvalSuiteException($"{where}: \"{name}\" must be an array of test ids (strings), or a string holding one.");
        }

        return [.. v.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string? ReadOptional(string file) => File.Exists(file) ? File.ReadAllText(file) : null;
}

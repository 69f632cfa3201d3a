namespace Memfun.McpServer.Evals;

/// <summary>Where an eval task came from, which decides how its workspace is made and how it is checked.</summary>
internal enum EvalTaskFormat
{
    /// <summary>A SWE-bench instance (one line of a JSONL file): a local git repository at a base commit.</summary>
    SweBench,

    /// <summary>A suite folder task: <c>task.json</c> and a <c>repo/</c> folder, copied and <c>git init</c>ed.</summary>
    Folder,

    /// <summary>A Terminal-Bench-style task: <c>instruction.md</c>, <c>workspace/</c> and <c>check.sh</c>.</summary>
    Terminal,
}

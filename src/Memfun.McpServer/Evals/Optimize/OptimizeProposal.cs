using Memfun.Engine.Llm;
using System.Text;
using System.Text.Json;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Evals.Optimize;

/// <summary>
/// The proposal step: the prompt that shows the model an agent's instruction with the traces of the tasks it failed
/// and resolved and asks for new instructions, and the parser of its answer (the solver's JSON-from-answer parser,
/// then this schema).
/// </summary>
internal static class OptimizeProposal
{
    /// <summary>The longest instruction accepted from the model (characters).</summary>
    public const int MaxInstructionChars = 32_000;

    /// <summary>The system prompt; its first sentence identifies a proposal request.</summary>
    public const string System = """
        You improve the instruction (the system prompt) of a coding agent from traces of its runs.
        You get the agent's current instruction and, for tasks of an evaluation suite, what it was asked, what it
        answered, the change it made and the tests that failed afterwards. Find what made it fail (and what made it
        succeed) and write better instructions.
        Each candidate must be a complete instruction that replaces the current one: markdown, keeping what works
        (the agent's role, its tools, its constraints and delegation rules) and changing or adding what the failures
        call for. Keep it general: never mention the suite's tasks, files, test names or expected values.
        Make the candidates different from each other (e.g. one adds a working method, one adds checks before
        finishing, one rewrites the constraints).
        Answer with ONE JSON object and nothing else (no prose, no markdown fence):
        {"candidates": [{"instruction": "<the whole new instruction>", "rationale": "<one sentence: what it fixes>"}]}
        """;

    private const int TraceBudget = 48_000;
    private const int PerTaskBudget = 6_000;

    /// <summary>The user message: the current instruction, the traces (failed tasks first), the number of candidates.</summary>
    public static string Prompt(string agentName, string instruction, EvalSuite suite, EvalReport baseline, int candidates)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(baseline);
        var t = baseline.Totals;
        var sb = new StringBuilder();
        sb.Append("# Agent `").Append(agentName).Append("`: current instruction\n\n").Append(instruction.Trim()).Append("\n\n");
        sb.Append("# Traces: ").Append(t.Resolved).Append(" of ").Append(t.Tasks).Append(" tasks resolved\n\n");
        var used = 0;
        var ordered = baseline.Tasks.OrderBy(r => r.Resolved).ToList();
        foreach (var result in ordered)
        {
            var trace = Trace(result, suite.Tasks.FirstOrDefault(x => x.Id == result.Id));
            if (used + trace.Length > TraceBudget)
            {
                sb.Append("(").Append(ordered.Count - ordered.IndexOf(result)).Append(" more traces left out for length)\n\n");
                break;
            }

            sb.Append(trace);
            used += trace.Length;
        }

        sb.Append("# Your answer\n\nPropose ").Append(candidates).Append(candidates == 1 ? " instruction" : " different instructions")
            .Append(" as the JSON object described in the system prompt.\n");
        return sb.ToString();
    }

    /// <summary>Reads the candidates from the model's answer: at most <paramref name="max"/>, distinct, none equal to <paramref name="original"/>.</summary>
    /// <exception cref="OptimizeException">The answer is not the JSON asked for, or holds no usable candidate.</exception>
    public static IReadOnlyList<CandidateInstruction> Parse(string answer, int max, string original)
    {
        JsonDocument doc;
        try
        {
            doc = ModelJson.Parse(answer);
        }
        catch (MalformedAnswerException ex)
        {
            throw Unreadable(ex.Message, answer);
        }

        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("candidates", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw Unreadable("it has no \"candidates\" array", answer);
            }

            var candidates = new List<CandidateInstruction>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                i++;
                var (instruction, rationale) = item.ValueKind switch
                {
                    JsonValueKind.String => (item.GetString(), string.Empty),
                    JsonValueKind.Object when item.TryGetProperty("instruction", out var s) && s.ValueKind == JsonValueKind.String =>
                        (s.GetString(), item.TryGetProperty("rationale", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? string.Empty : string.Empty),
                    _ => throw Unreadable($"candidate {i} is not an object with a string \"instruction\"", answer),
                };
                var text = (instruction ?? string.Empty).Trim();
                if (text.Length == 0 || text.Length > MaxInstructionChars)
                {
                    throw Unreadable(text.Length == 0 ? $"candidate {i} has an empty instruction" : $"candidate {i}'s instruction is longer than {MaxInstructionChars} characters", answer);
                }

                if (!string.Equals(text, original.Trim(), StringComparison.Ordinal) && candidates.All(c => c.Instruction != text))
                {
                    candidates.Add(new CandidateInstruction(text, rationale.Trim()));
                }
            }

            return candidates.Count == 0
                ? throw new OptimizeException("The model proposed no new instruction (its candidates were empty or the same as the current one); nothing to score.")
                : candidates.Take(max).ToList();
        }
    }

    private static OptimizeException Unreadable(string why, string answer) => new(
        $"The model's proposal could not be read: {why}. Expected {{\"candidates\": [{{\"instruction\": \"...\", \"rationale\": \"...\"}}]}}; " +
        $"the answer began: {Shorten(answer, 200)}");

    private static string Trace(EvalTaskResult result, EvalTask? task)
    {
        var sb = new StringBuilder();
        sb.Append("## ").Append(result.Resolved ? "RESOLVED" : result.Errored ? "ERRORED" : "FAILED").Append(": task ").Append(result.Id).Append('\n');
        if (task is not null)
        {
            sb.Append("### Asked\n").Append(Shorten(task.ProblemStatement, 1500)).Append('\n');
        }

        if (result.Error is { } error)
        {
            sb.Append("### Error\n").Append(Shorten(error, 800)).Append('\n');
        }

        if (result.Summary is { Length: > 0 } summary)
        {
            sb.Append("### Agent's answer\n").Append(Shorten(summary, 1200)).Append('\n');
        }

        sb.Append("### Change made\n").Append(result.Diff.Length == 0 ? "(none)" : Shorten(result.Diff, 1800)).Append('\n');
        foreach (var test in result.Tests.Where(x => !x.Passed).Take(3))
        {
            sb.Append("### Failing test ").Append(test.Id).Append('\n').Append(Shorten(test.Output ?? string.Empty, 600)).Append('\n');
        }

        sb.Append('\n');
        return sb.Length <= PerTaskBudget ? sb.ToString() : sb.ToString(0, PerTaskBudget) + "…\n\n";
    }

    private static string Shorten(string text, int max)
    {
        var t = text.Trim();
        return t.Length <= max ? t : t[..max] + "…";
    }
}

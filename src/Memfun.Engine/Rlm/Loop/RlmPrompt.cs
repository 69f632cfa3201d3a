using Memfun.Engine.Repl;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Rlm.Loop;

/// <summary>
/// Builds each turn's prompt from scratch: the instructions with the REPL's tools, the task, compact
/// variable summaries, the recent steps (code and a truncated output view) and one line per older step,
/// shortened until it fits the prompt budget. The model never sees whole files unless it prints them.
/// </summary>
internal static class RlmPrompt
{
    public sealed record StepView(int Iteration, string? Code, string Outcome, string Output, string? Error, string? Notice, IReadOnlyList<string> Calls);

    public static string Instructions(RlmOptions options) =>
        "You solve a task by writing C# for a persistent REPL (Roslyn scripting). The workspace and your intermediate " +
        "results live in the REPL, not in this conversation: read files with code, keep what you find in variables, and " +
        "print only short summaries. Variables, methods and types you define stay in scope in later steps.\n\n" +
        "Reply with a short thought and exactly one ```csharp block. It runs at once; you see what it printed (at most " +
        $"{options.OutputViewChars:N0} characters, head and tail) and summaries of your variables.\n\n" +
        "Globals (all paths relative to the workspace root):\n" + ReplToolCatalog.Describe() + "\n\n" +
        "Rules: never print whole large files or long lists; count, filter and aggregate in code. To understand text too large " +
        "to read, split it and ask llm_query / llm_query_batched about each piece (pass the piece as context). " +
        "When you know the answer, call FINAL(answer) (or FINAL_VAR(\"variable\")) in code.";

    /// <summary>Builds the messages for one turn, fitting <see cref="RlmOptions.PromptTokenBudget"/>.</summary>
    public static List<ChatMessage> Build(string task, IReadOnlyList<ReplVariable> vars, IReadOnlyList<StepView> steps, IReadOnlyList<string> warnings, int iteration, int max, RlmOptions options)
    {
        var system = Instructions(options);
        var systemTokens = TokenEstimate.Of(system); // counted once: the tokenizer's cost grows with the text
        var budget = Math.Max(1000, options.PromptTokenBudget);
        var outputChars = options.OutputViewChars;
        var detailed = options.DetailedSteps;
        var varCount = 40;
        var taskChars = Math.Min(task.Length, budget); // about a quarter of the budget in tokens
        string user;
        while (true)
        {
            user = User(task, taskChars, vars, varCount, steps, detailed, outputChars, warnings, iteration, max);
            if (systemTokens + TokenEstimate.Of(user) <= budget)
            {
                break;
            }

            if (outputChars > 400)
            {
                outputChars /= 2;
            }
            else if (detailed > 1)
            {
                detailed--;
            }
            else if (varCount > 8)
            {
                varCount /= 2;
            }
            else if (taskChars > 2000)
            {
                taskChars /= 2;
            }
            else
            {
                // Last resort: clip the whole message, tighter until it fits (or reaches a floor of 400 chars).
                var room = Math.Max(400, (budget - systemTokens) * 4 - 64);
                var full = user;
                user = OutputClip.Clip(full, room);
                while (room > 400 && systemTokens + TokenEstimate.Of(user) > budget)
                {
                    room = Math.Max(400, room * 3 / 4);
                    user = OutputClip.Clip(full, room);
                }

                break;
            }
        }

        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)];
    }

    private static string User(string task, int taskChars, IReadOnlyList<ReplVariable> vars, int varCount, IReadOnlyList<StepView> steps, int detailed, int outputChars, IReadOnlyList<string> warnings, int iteration, int max)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Task").AppendLine(OutputClip.Clip(task, taskChars)).AppendLine();

        sb.AppendLine("## Variables");
        if (vars.Count == 0)
        {
            sb.AppendLine("(none yet)");
        }

        foreach (var v in vars.TakeLast(varCount))
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {v.Name}: {v.Type}");
            if (v.Size >= 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $" (size {v.Size:N0})");
            }

            sb.Append(" = ").AppendLine(v.Preview);
        }

        if (vars.Count > varCount)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"... and {vars.Count - varCount} more");
        }

        sb.AppendLine();
        if (steps.Count > 0)
        {
            sb.AppendLine("## Steps so far");
            var older = steps.Take(Math.Max(0, steps.Count - detailed)).ToList();
            foreach (var s in older.TakeLast(12))
            {
                var firstLine = (s.Code ?? "(no code)").Split('\n')[0];
                sb.AppendLine(CultureInfo.InvariantCulture, $"- step {s.Iteration}: {s.Outcome}; {OutputClip.Clip(firstLine, 100)}; output {s.Output.Length:N0} chars");
            }

            if (older.Count > 12)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  ({older.Count - 12} earlier steps not listed)");
            }

            foreach (var s in steps.TakeLast(detailed))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"### Step {s.Iteration} ({s.Outcome})");
                sb.AppendLine("```csharp").AppendLine(OutputClip.Clip(s.Code ?? "(no code block in the reply)", 1500)).AppendLine("```");
                if (s.Calls.Count > 0)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"Calls: {OutputClip.Clip(string.Join(", ", s.Calls.Take(20)), 400)}{(s.Calls.Count > 20 ? $" (+{s.Calls.Count - 20})" : string.Empty)}");
                }

                sb.AppendLine("Output:").AppendLine(s.Output.Length == 0 ? "(nothing printed)" : OutputClip.Clip(s.Output, outputChars));
                if (s.Error is not null)
                {
                    sb.AppendLine("Error: " + OutputClip.Clip(s.Error, 1000));
                }

                if (s.Notice is not null)
                {
                    sb.AppendLine("Note: " + OutputClip.Clip(s.Notice, 600));
                }
            }

            sb.AppendLine();
        }

        foreach (var w in warnings)
        {
            sb.AppendLine("WARNING: " + w);
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"Iteration {iteration} of {max}. Reply with one ```csharp block.");
        return sb.ToString();
    }
}

using System.Text;
using System.Text.Json;
using Memfun.McpServer.Evals;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// The scripted providers of the eval tests, answering a <see cref="StubModelServer"/>'s requests by what they ask:
/// the reference model (each task's gold change as the solver's write operations, and an <c>ok</c> review), the useless
/// one (no change) and the broken one (JSON cut off mid-answer).
/// </summary>
internal static class EvalScriptedModels
{
    public const string NoChange = """{"summary": "Nothing needs to change.", "operations": []}""";
    public const string BrokenJson = """{"summary": "I fixed it", "operations": [{"op": "write", "path": """;
    private const string ReviewOk = """{"verdict": "ok", "problems": [], "summary": "The change does what was asked."}""";

    /// <summary>The settings that point a task server at <paramref name="stub"/> (its key is in MEMFUN_TEST_STUB_KEY).</summary>
    public static Dictionary<string, string?> Settings(StubModelServer stub)
    {
        Environment.SetEnvironmentVariable("MEMFUN_TEST_STUB_KEY", "sk-stub-secret");
        return new()
        {
            ["llm:provider"] = "openai",
            ["llm:model"] = "stub-model",
            ["llm:base_url"] = stub.BaseUrl.ToString(),
            ["llm:api_key_env"] = "MEMFUN_TEST_STUB_KEY",
            ["llm:retry_base_delay_ms"] = "1",
        };
    }

    /// <summary>Each task's reference answer, keyed by its problem statement (what identifies the task in a request).</summary>
    public static async Task<Dictionary<string, string>> ReferenceAnswersAsync(EvalSuite suite)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in suite.Tasks)
        {
            answers[task.ProblemStatement] = await EvalFixtures.GoldAnswerAsync(task);
        }

        return answers;
    }

    /// <summary>Answers the solver with the task's answer from <paramref name="answers"/>, reviews with ok, anything else with no change.</summary>
    public static Func<string, string, StubModelServer.Reply> Reference(IReadOnlyDictionary<string, string> answers) => (_, body) =>
    {
        var text = TextOf(body);
        if (text.Contains("You review a change made by a coding agent", StringComparison.Ordinal))
        {
            return StubModelServer.OpenAiReply(ReviewOk);
        }

        if (text.Contains("You are Memfun's coding agent. You are given", StringComparison.Ordinal))
        {
            var task = answers.Keys.Where(s => text.Contains(s, StringComparison.Ordinal)).ToList();
            return StubModelServer.OpenAiReply(task.Count == 1 ? answers[task[0]] : NoChange);
        }

        return StubModelServer.OpenAiReply(NoChange);
    };

    /// <summary>Answers every request the same way.</summary>
    public static Func<string, string, StubModelServer.Reply> Always(string content) => (_, _) => StubModelServer.OpenAiReply(content);

    /// <summary>Every string in a request body, joined: the system prompt and messages whatever their shape.</summary>
    public static string TextOf(string body)
    {
        var sb = new StringBuilder();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    sb.Append(e.GetString()).Append('\n');
                    break;
                case JsonValueKind.Array:
                    foreach (var x in e.EnumerateArray())
                    {
                        Walk(x);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value);
                    }

                    break;
            }
        }

        using var doc = JsonDocument.Parse(body);
        Walk(doc.RootElement);
        return sb.ToString();
    }
}

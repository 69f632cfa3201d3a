using System.Text.Json;
using Memfun.McpServer.Mcp;

namespace Memfun.McpServer.Tests.Mcp;

/// <summary>What a model is told when the arguments it sent do not bind: read from the tool's input schema.</summary>
public sealed class ArgumentProblemsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "query":{"type":"string"},
          "k":{"type":["integer","null"]},
          "ratio":{"type":"number"},
          "tags":{"type":"array"},
          "exact":{"type":"boolean"},
          "options":{"type":"object"},
          "anything":{}
        },"required":["query"]}
        """).RootElement;

    private static Dictionary<string, JsonElement> Args(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData("""{"query":1}""", "'query' must be a string (got an integer)")]
    [InlineData("""{"query":"q","k":1.5}""", "'k' must be an integer (got a number)")]
    [InlineData("""{"query":"q","ratio":"half"}""", "'ratio' must be a number (got a string)")]
    [InlineData("""{"query":"q","tags":"a,b"}""", "'tags' must be an array (got a string)")]
    [InlineData("""{"query":"q","exact":"yes"}""", "'exact' must be a boolean (got a string)")]
    [InlineData("""{"query":"q","options":[1]}""", "'options' must be an object (got an array)")]
    [InlineData("""{"k":3}""", "'query' is required")]
    [InlineData("""{"query":null}""", "'query' must be a string (got null)")]
    public void A_missing_or_mistyped_argument_replaces_the_binding_error(string json, string expected)
    {
        var text = ArgumentProblems.Explain("The JSON value could not be converted", Schema, Args(json));

        Assert.StartsWith(expected + ".", text, StringComparison.Ordinal);
        Assert.EndsWith("Arguments: query (string, required), k (integer), ratio (number), tags (array), exact (boolean), options (object), anything ().", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_fit_their_types_leave_the_failure_as_it_was()
    {
        const string Failure = "Something deeper went wrong.";
        Assert.Equal(Failure, ArgumentProblems.Explain(Failure, Schema, Args("""{"query":"q","k":null,"ratio":2,"tags":[],"exact":true,"options":{},"anything":[1]}""")));
        Assert.Equal(Failure, ArgumentProblems.Explain(Failure, default, Args("""{"query":1}""")));
    }

    [Fact]
    public void An_unknown_name_alone_is_added_to_the_failure()
    {
        var text = ArgumentProblems.Explain("Deeper failure.", Schema, Args("""{"query":"q","qeury":"typo"}"""));

        Assert.StartsWith("Deeper failure. ('qeury' is not an argument of this tool. Arguments: query (string, required)", text, StringComparison.Ordinal);
    }
}

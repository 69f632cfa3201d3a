using Memfun.Engine.Llm;
using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

public sealed class ModelAnswerParserTests
{
    [Fact]
    public void An_answer_in_a_markdown_fence_is_read()
    {
        var (summary, ops) = ModelAnswerParser.ParseOperations("Here you go:\n```json\n{\"summary\": \"s\", \"operations\": [{\"op\": \"run\", \"command\": \"make\"}]}\n```\n", editOnly: false);

        Assert.Equal("s", summary);
        Assert.Equal(FileOperation.Run("make"), Assert.Single(ops));
    }

    [Fact]
    public void Edit_only_mode_refuses_a_write()
    {
        var ex = Assert.Throws<MalformedAnswerException>(() => ModelAnswerParser.ParseOperations("{\"operations\": [{\"op\": \"write\", \"path\": \"a\", \"content\": \"b\"}]}", editOnly: true));

        Assert.Contains("only \"edit\" operations are allowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"operations\": [{\"op\": \"edit\", \"path\": \"a\", \"old\": \"\", \"new\": \"b\"}]}", "empty \"old\"")]
    [InlineData("{\"operations\": [{\"op\": \"edit\", \"path\": \"a\", \"old\": 3, \"new\": \"b\"}]}", "string field \"old\"")]
    [InlineData("{\"summary\": \"no ops\"}", "no \"operations\" array")]
    [InlineData("{\"operations\": [], \"extra\": 1}", "unexpected field \"extra\"")]
    [InlineData("[]", "no JSON object")]
    public void Answers_off_the_schema_are_refused_saying_why(string answer, string reason)
    {
        var ex = Assert.Throws<MalformedAnswerException>(() => ModelAnswerParser.ParseOperations(answer, editOnly: false));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_review_verdict_other_than_ok_or_needs_changes_is_refused()
    {
        var ex = Assert.Throws<MalformedAnswerException>(() => ModelAnswerParser.ParseReview("{\"verdict\": \"maybe\", \"problems\": []}"));

        Assert.Contains("\"maybe\"", ex.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>The validator behind <see cref="SchemaCheckingTransport"/> finds what a validating host rejects.</summary>
public sealed class OutputSchemaCheckTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"path":{"type":"string"},"modified":{"type":["string","null"]}},"required":["path","modified"]}
        """).RootElement;

    [Theory]
    [InlineData("""{"path":"a.cs","modified":null}""", null)]
    [InlineData("""{"path":"a.cs","modified":"2026-12-07T10:00:00Z"}""", null)]
    [InlineData("""{"path":"a.cs"}""", "modified")]
    [InlineData("""{"path":1,"modified":null}""", "/path")]
    public void A_result_is_valid_only_when_it_has_every_required_property_with_its_type(string instance, string? problem)
    {
        var found = OutputSchemaCheck.Problems(Schema, JsonDocument.Parse(instance).RootElement);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.NotNull(found);
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }
}

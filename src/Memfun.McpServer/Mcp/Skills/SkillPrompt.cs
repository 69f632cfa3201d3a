using System.Text;
using Memfun.Engine.Skills;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// One skill served as an MCP prompt, built from the catalog (not a method per skill): its arguments come
/// from the skill's <c>argument-hint</c>; getting it renders the current <c>SKILL.md</c> body with the
/// arguments and embeds the skill's small text supporting files as resources.
/// </summary>
internal sealed class SkillPrompt(SkillCatalog catalog, SkillDefinition definition) : McpServerPrompt
{
    private const int MaxEmbeddedBytes = 64 * 1024;

    public override Prompt ProtocolPrompt { get; } = new()
    {
        Name = definition.Name,
        Title = Title(definition.Name),
        Description = definition.Description,
        Arguments = [.. definition.Arguments.Select(a => new PromptArgument { Name = a.Name, Description = a.Description, Required = a.Required })],
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    /// <summary>The file set this prompt was built from; a change means the prompt must be rebuilt.</summary>
    public SkillDefinition Skill { get; } = definition;

    public override async ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!catalog.TryGet(Skill.Name, out var current))
        {
            throw new McpProtocolException($"The skill '{Skill.Name}' is no longer installed. Call prompts/list again.", McpErrorCode.InvalidParams);
        }

        var values = request.Params?.Arguments?.ToDictionary(kv => kv.Key, kv => (string?)(kv.Value.ValueKind == System.Text.Json.JsonValueKind.String ? kv.Value.GetString() : kv.Value.ToString()))
                     ?? [];
        var missing = current.Arguments.Where(a => a.Required && (!values.TryGetValue(a.Name, out var v) || string.IsNullOrWhiteSpace(v))).Select(a => a.Name).ToList();
        if (missing.Count > 0)
        {
            throw new McpProtocolException($"The prompt '{Skill.Name}' needs the argument(s) {string.Join(", ", missing)} ({current.ArgumentHint}).", McpErrorCode.InvalidParams);
        }

        var arguments = SkillTemplate.Join(current, values);
        var messages = new List<PromptMessage>
        {
            new() { Role = Role.User, Content = new TextContentBlock { Text = SkillRunner.BuildPrompt(current, arguments) } },
        };
        foreach (var f in current.SupportingFiles.Where(f => f.Size <= MaxEmbeddedBytes && SkillUri.MimeType(f.RelativePath).StartsWith("text/", StringComparison.Ordinal)))
        {
            string text;
            try
            {
                // Inside the skill folder after every link, a regular file, capped.
                if (SafeFile.ReadOwnText(current.Directory, f.FullPath, MaxEmbeddedBytes) is not { } read)
                {
                    continue;
                }

                text = read;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
            {
                continue;
            }

            messages.Add(new PromptMessage
            {
                Role = Role.User,
                Content = new EmbeddedResourceBlock
                {
                    Resource = new TextResourceContents { Uri = SkillUri.ForFile(current.Name, f.RelativePath), MimeType = SkillUri.MimeType(f.RelativePath), Text = text },
                },
            });
        }

        return new GetPromptResult { Description = current.Description, Messages = messages };
    }

    private static string Title(string name)
    {
        var words = name.Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}

using System.Text.Json.Nodes;
using Memfun.Engine.Skills;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// Serves the skill catalog over MCP: each user-invocable skill as a prompt, every skill file as a
/// <c>skill://</c> resource, and the SEP-2640 Skills extension (<c>io.modelcontextprotocol/skills</c> with
/// <c>directoryRead</c>; <c>skills/list</c>, <c>skills/get</c>, <c>resources/directory/read</c>) through the
/// SDK's custom request handlers. The C# SDK 2.4.0 has no support for the extension; this is the one
/// place to replace when it does.
/// </summary>
internal static class SkillsMcpServerBuilderExtensions
{
    public const string ExtensionId = "io.modelcontextprotocol/skills";

    /// <summary>Adds the skill services and, when <paramref name="serveSurface"/> (the <c>skills</c> toolset is served), the prompts, resources and extension methods.</summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="includeWorkspace">Whether the workspace's own skills are served: only when the user trusts the workspace.</param>
    /// <param name="serveSurface">Whether the skills toolset is served.</param>
    public static IMcpServerBuilder WithMemfunSkills(this IMcpServerBuilder builder, bool includeWorkspace, bool serveSurface = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemfunSkills(o => o.IncludeWorkspace = includeWorkspace);
        if (!serveSurface)
        {
            return builder;
        }

        // Warm the catalog off the request path (after the first answer) so the first listing does not pay for reading the folders.
        builder.Services.AddSingleton<IHostedService>(sp => new BackgroundWarmUp("skills", () => sp.GetRequiredService<SkillCatalog>().GetSnapshot()));
        builder.Services.AddOptions<McpServerOptions>().PostConfigure<SkillCatalog>((options, catalog) =>
        {
            // The extension declaration, inline under capabilities.extensions (SEP-2133).
            options.Capabilities ??= new();
            options.Capabilities.Extensions ??= new Dictionary<string, object>();
            options.Capabilities.Extensions[ExtensionId] = new JsonObject { ["directoryRead"] = true };

            var handlers = new SkillsProtocolHandlers(catalog);
#pragma warning disable MCPEXP002 // Custom request handlers are experimental in SDK 2.4.0; they are the documented way to add extension methods.
            options.RequestHandlers ??= [];
            options.RequestHandlers.Add(new McpServerRequestHandler { Method = "skills/list", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(handlers.ListSkills(request.Params)) });
            options.RequestHandlers.Add(new McpServerRequestHandler { Method = "skills/get", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(handlers.GetSkill(request.Params)) });
            options.RequestHandlers.Add(new McpServerRequestHandler { Method = "resources/directory/read", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(handlers.ReadDirectory(request.Params)) });
#pragma warning restore MCPEXP002

            // Skill files: one templated resource reads them; resources/list lists the current ones.
            var files = new SkillFileResource(catalog);
            options.ResourceCollection ??= [];
            options.ResourceCollection.Add(files);
            var listResources = options.Handlers.ListResourcesHandler;
            options.Handlers.ListResourcesHandler = async (request, cancellationToken) =>
            {
                var result = listResources is null ? new() : await listResources(request, cancellationToken);
                if (request.Params?.Cursor is null)
                {
                    foreach (var r in files.List())
                    {
                        result.Resources.Add(r);
                    }
                }

                return result;
            };

            // Prompts: built from the catalog on first use (nothing is read before the first request, so start-up
            // stays fast), then kept in step with it: prompts/list re-checks the folders, and any refresh that
            // finds a change updates the collection (which sends notifications/prompts/list_changed).
            options.PromptCollection ??= [];
            var prompts = options.PromptCollection;
            catalog.Changed += (_, _) => SyncPrompts(prompts, catalog, catalog.GetSnapshot());
            var listPrompts = options.Handlers.ListPromptsHandler;
            options.Handlers.ListPromptsHandler = async (request, cancellationToken) =>
            {
                SyncPrompts(prompts, catalog, catalog.GetSnapshot());
                return listPrompts is null ? new() : await listPrompts(request, cancellationToken);
            };

            // Reached only for a name the collection does not hold yet (prompts/get before any prompts/list).
            var getPrompt = options.Handlers.GetPromptHandler;
            options.Handlers.GetPromptHandler = async (request, cancellationToken) =>
            {
                SyncPrompts(prompts, catalog, catalog.GetSnapshot());
                if (request.Params?.Name is { } name && prompts.TryGetPrimitive(name, out var prompt))
                {
                    return await prompt.GetAsync(request, cancellationToken);
                }

                return getPrompt is not null
                    ? await getPrompt(request, cancellationToken)
                    : throw new ModelContextProtocol.McpProtocolException($"Unknown prompt: '{request.Params?.Name}'. Call prompts/list for the available prompts.", ModelContextProtocol.McpErrorCode.InvalidParams);
            };

        });

        return builder;
    }

    private static void SyncPrompts(McpServerPrimitiveCollection<McpServerPrompt> prompts, SkillCatalog catalog, SkillCatalogSnapshot snapshot)
    {
        lock (prompts)
        {
            var wanted = snapshot.Skills.Where(s => s.UserInvocable).ToDictionary(s => s.Name, StringComparer.Ordinal);
            foreach (var existing in prompts.OfType<SkillPrompt>().ToList())
            {
                if (!wanted.TryGetValue(existing.Skill.Name, out var now) || !SameShape(existing.Skill, now))
                {
                    prompts.Remove(existing);
                }
            }

            foreach (var skill in wanted.Values)
            {
                if (!prompts.TryGetPrimitive(skill.Name, out _))
                {
                    prompts.TryAdd(new SkillPrompt(catalog, skill));
                }
            }
        }
    }

    private static bool SameShape(SkillDefinition a, SkillDefinition b) =>
        a.Description == b.Description && a.Arguments.SequenceEqual(b.Arguments);
}

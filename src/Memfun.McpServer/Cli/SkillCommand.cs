using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Skills;
using Memfun.McpServer.Mcp.Skills;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun skill list</c> and <c>memfun skill show &lt;name&gt;</c>: the skills the server would serve.</summary>
internal static class SkillCommand
{
    public static Command Create()
    {
        var command = new Command("skill", "List and inspect skills (built-in, the workspace's skills/ and .memfun/skills/).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Run());
        return command;
    }

    /// <summary>
    /// <c>memfun skill run &lt;name&gt; [arguments]</c>: runs a skill with the configured model (the <c>run_skill</c> tool). Exit 0 when a
    /// model answered, 1 on a tool error (unknown skill…), 2 usage, 3 no model configured (the filled-in instructions are still printed).
    /// </summary>
    private static Command Run()
    {
        var name = new Argument<string>("name") { Description = "The skill name, such as review-code (see 'memfun skill list')." };
        var arguments = new Argument<string[]>("arguments") { Description = "The text the skill receives as $ARGUMENTS.", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print the structured result (skill, ran_with_model, answer, message, prompt) as JSON." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("run", "Run a skill with the configured model and print its answer.") { name, arguments, json, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new Dictionary<string, object?> { ["name"] = parse.GetValue(name) ?? string.Empty };
            if (parse.GetValue(arguments) is { Length: > 0 } a)
            {
                args["arguments"] = string.Join(' ', a);
            }

            return await ToolCommandRunner.RunAsync(CommonOptions.ResolveWorkspace(parse.GetValue(workspace)), "run_skill", args, parse.GetValue(json), needsModel: false,
                s => s is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("ranWithModel", out var r) && r.ValueKind == JsonValueKind.True ? 0 : 3,
                cancellationToken);
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (skills and problems) instead of a table." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("list", "List the valid skills, and the problems of any invalid ones.") { json, workspace };
        command.SetAction(parse =>
        {
            var snapshot = Catalog(parse.GetValue(workspace)).GetSnapshot();
            Console.Out.Write(parse.GetValue(json) ? Json(snapshot) : Table(snapshot));
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The skill name, such as review-code." };
        var arguments = new Option<string?>("--arguments", "-a") { Description = "Render the skill's prompt with these arguments ($ARGUMENTS)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("show", "Show one skill: its fields, files and the prompt it renders.") { name, arguments, workspace };
        command.SetAction(parse =>
        {
            SkillDefinition skill;
            try
            {
                skill = Catalog(parse.GetValue(workspace)).Get(parse.GetValue(name) ?? string.Empty);
            }
            catch (SkillNotFoundException ex)
            {
                throw new CliException(ex.Message); // a name that is not a skill is a usage error: exit 2
            }

            var sb = new StringBuilder();
            sb.Append("name:            ").Append(skill.Name).Append('\n');
            sb.Append("description:     ").Append(skill.Description).Append('\n');
            sb.Append("version:         ").Append(skill.Version ?? "-").Append('\n');
            sb.Append("source:          ").Append(SourceName(skill.Source)).Append(" (").Append(skill.Directory).Append(")\n");
            sb.Append("arguments:       ").Append(string.Join(' ', skill.Arguments.Select(a => a.Required ? $"<{a.Name}>" : $"[{a.Name}]"))).Append('\n');
            sb.Append("allowed-tools:   ").Append(skill.AllowedTools.Count == 0 ? "-" : string.Join(", ", skill.AllowedTools)).Append('\n');
            sb.Append("tags:            ").Append(skill.Tags.Count == 0 ? "-" : string.Join(", ", skill.Tags)).Append('\n');
            sb.Append("context:         ").Append(string.Join(", ", skill.Context)).Append('\n');
            sb.Append("user-invocable:  ").Append(skill.UserInvocable ? "yes" : "no").Append('\n');
            sb.Append("model-invocable: ").Append(skill.ModelInvocable ? "yes" : "no").Append('\n');
            sb.Append("files:\n");
            foreach (var f in skill.Files)
            {
                sb.Append("  ").Append(SkillUri.ForFile(skill.Name, f.RelativePath)).Append("  ").Append(f.Size).Append(" bytes  sha256:").Append(f.Sha256).Append('\n');
            }

            sb.Append("\n--- prompt ---\n").Append(SkillRunner.BuildPrompt(skill, parse.GetValue(arguments)));
            Console.Out.Write(sb.ToString());
            return 0;
        });
        return command;
    }

    private static SkillCatalog Catalog(string? workspaceFlag)
    {
        var root = CommonOptions.ResolveWorkspace(workspaceFlag);
        var trusted = Configuration.WorkspaceTrust.IsTrusted(CommonOptions.LoadConfiguration(root));
        return new SkillCatalog(Options.Create(new SkillCatalogOptions { IncludeWorkspace = trusted }), new PathGuard(root));
    }

    internal static string Table(SkillCatalogSnapshot snapshot)
    {
        var sb = new StringBuilder();
        if (snapshot.Skills.Count == 0)
        {
            sb.Append("No skills found.\n");
        }
        else
        {
            var nameWidth = Math.Max(4, snapshot.Skills.Max(s => s.Name.Length));
            var versionWidth = Math.Max(7, snapshot.Skills.Max(s => (s.Version ?? "-").Length));
            const int sourceWidth = 17;
            sb.Append("NAME".PadRight(nameWidth)).Append("  ").Append("SOURCE".PadRight(sourceWidth)).Append("  ").Append("VERSION".PadRight(versionWidth)).Append("  DESCRIPTION\n");
            foreach (var s in snapshot.Skills)
            {
                var description = s.Description.ReplaceLineEndings(" ");
                if (description.Length > 70)
                {
                    description = description[..67] + "...";
                }

                sb.Append(s.Name.PadRight(nameWidth)).Append("  ").Append(SourceName(s.Source).PadRight(sourceWidth)).Append("  ")
                  .Append((s.Version ?? "-").PadRight(versionWidth)).Append("  ").Append(description).Append('\n');
            }
        }

        foreach (var (list, kind) in new[] { (snapshot.Problems.Where(p => !p.IsWarning).ToList(), "skipped"), (snapshot.Problems.Where(p => p.IsWarning).ToList(), "loaded") })
        {
            if (list.Count > 0)
            {
                var noun = kind == "skipped" ? (list.Count == 1 ? " problem" : " problems") : (list.Count == 1 ? " warning" : " warnings");
                sb.Append('\n').Append(list.Count).Append(noun).Append(" (these skills were ").Append(kind).Append("):\n");
                foreach (var p in list)
                {
                    sb.Append("  ").Append(p).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    internal static string Json(SkillCatalogSnapshot snapshot)
    {
        var root = new JsonObject
        {
            ["skills"] = new JsonArray([.. snapshot.Skills.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["description"] = s.Description,
                ["version"] = s.Version,
                ["source"] = SourceName(s.Source),
                ["path"] = s.SkillFilePath,
                ["userInvocable"] = s.UserInvocable,
                ["modelInvocable"] = s.ModelInvocable,
                ["argumentHint"] = s.ArgumentHint,
                ["arguments"] = new JsonArray([.. s.Arguments.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["required"] = a.Required })]),
                ["allowedTools"] = new JsonArray([.. s.AllowedTools.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["tags"] = new JsonArray([.. s.Tags.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["uri"] = SkillUri.ForFile(s.Name, "SKILL.md"),
                ["frontmatter"] = SkillManifest.ToJson(s.Frontmatter),
                ["files"] = new JsonArray([.. s.Files.Select(f => (JsonNode)new JsonObject { ["path"] = f.RelativePath, ["size"] = f.Size, ["sha256"] = f.Sha256 })]),
            })]),
            ["problems"] = new JsonArray([.. snapshot.Problems.Select(p => (JsonNode)new JsonObject { ["file"] = p.FilePath, ["field"] = p.Field, ["message"] = p.Message, ["warning"] = p.IsWarning })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string SourceName(SkillSource source) => source switch
    {
        SkillSource.BuiltIn => "built-in",
        SkillSource.Workspace => "skills/",
        _ => ".memfun/skills/",
    };
}

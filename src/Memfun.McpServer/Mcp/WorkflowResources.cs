using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>Each workflow as a live MCP resource: its DAG, task states and events, as JSON.</summary>
[McpServerResourceType]
[Toolset(Hosting.Toolsets.Agents)]
internal sealed class WorkflowResources(AgentTools tools)
{
    [McpServerResource(UriTemplate = "memfun://workflows/{id}", Name = "workflow", Title = "Workflow", MimeType = "application/json")]
    [Description("A workflow's DAG, each task's state and the events so far (the same as workflow_status).")]
    public async Task<TextResourceContents> Workflow(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || !await tools.HasWorkflowAsync(id, cancellationToken))
        {
            throw new McpProtocolException(
                $"There is no workflow '{id}' in this server. The workflow_status tool without an id lists the recent ones.", McpErrorCode.ResourceNotFound);
        }

        return new()
        {
            Uri = $"memfun://workflows/{id}",
            MimeType = "application/json",
            Text = JsonSerializer.Serialize(await tools.WorkflowStatus(id, cancellationToken), ToolResults.Json),
        };
    }
}

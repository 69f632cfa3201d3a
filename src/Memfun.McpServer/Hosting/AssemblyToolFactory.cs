using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Creates the MCP tools of an assembly's <see cref="McpServerToolTypeAttribute"/> classes exactly as the SDK's
/// <c>WithToolsFromAssembly</c> does (same discovery order, same create options), but when called rather than
/// when the service provider is built, so that <see cref="LazyToolCollection"/> can defer the cost.
/// </summary>
/// <remarks>
/// Static methods are created without a target; for instance methods a new instance of the declaring class is
/// made per call from the request's services (as the SDK does). <c>ServerCompositionTests</c> checks the
/// result against the SDK's own discovery, so a change in the SDK shows up there.
/// </remarks>
internal static class AssemblyToolFactory
{
    public static IEnumerable<McpServerTool> Create(Assembly assembly, IServiceProvider services)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null))
        {
            foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (method.GetCustomAttribute<McpServerToolAttribute>() is null)
                {
                    continue;
                }

                var options = new McpServerToolCreateOptions { Services = services, SerializerOptions = Mcp.ToolResults.Json };
                yield return method.IsStatic
                    ? McpServerTool.Create(method, (object?)null, options)
                    : McpServerTool.Create(method, (RequestContext<CallToolRequestParams> r) => CreateTarget(r.Services, type), options);
            }
        }
    }

    private static object CreateTarget(IServiceProvider? services, Type type) =>
        services is null ? Activator.CreateInstance(type)! : ActivatorUtilities.CreateInstance(services, type);
}

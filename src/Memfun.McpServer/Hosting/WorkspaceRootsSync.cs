using Memfun.Tools.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Roots, sampling and logging are deprecated by the 2026-07-28 revision (SEP-2577, MCP9005), yet every
// host of the 2025-11-25 era uses them: serving them is the point here.
#pragma warning disable MCP9005

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Honours the host's MCP roots: when a client that declared the <c>roots</c> capability finishes
/// initialization, or says its roots changed, the server asks for them and adds every <c>file://</c>
/// root that exists to the <see cref="PathGuard"/>.
/// </summary>
/// <remarks>
/// Roots are only added, never removed: a tool that already holds a path keeps a valid one. The
/// guard is shared by every session of the process (over HTTP, every session's roots count for all).
/// The request runs in the background with a timeout, so a host that never answers blocks nothing.
/// </remarks>
internal static partial class WorkspaceRootsSync
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The incoming message filter that watches for <c>notifications/initialized</c> and <c>notifications/roots/list_changed</c>.</summary>
    public static McpMessageFilter Filter => next => async (context, cancellationToken) =>
    {
        await next(context, cancellationToken);
        if (context.JsonRpcMessage is JsonRpcNotification { Method: NotificationMethods.InitializedNotification or NotificationMethods.RootsListChangedNotification }
            && context.Server is { } server
            && server.ClientCapabilities?.Roots is not null)
        {
            _ = Task.Run(() => SyncAsync(server));
        }
    };

    /// <summary>Asks the client for its roots and adds them to the guard; never throws.</summary>
    public static async Task SyncAsync(ModelContextProtocol.Server.McpServer server)
    {
        var logger = server.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(WorkspaceRootsSync)) ?? NullLogger.Instance;
        var guard = server.Services?.GetService<PathGuard>();
        if (guard is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var result = await server.RequestRootsAsync(new ListRootsRequestParams(), timeout.Token);
            var paths = new List<string>();
            foreach (var root in result.Roots)
            {
                if (Uri.TryCreate(root.Uri, UriKind.Absolute, out var uri) && uri.IsFile)
                {
                    paths.Add(uri.LocalPath);
                }
                else
                {
                    LogSkippedRoot(logger, root.Uri);
                }
            }

            guard.AddRoots(paths);
            LogRootsAdded(logger, paths.Count, string.Join(", ", guard.Roots));
        }
        catch (OperationCanceledException)
        {
            // The client did not answer in time, or the session ended first: the workspace roots stand.
            LogRootsUnanswered(logger, RequestTimeout.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRootsFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(3111, LogLevel.Information, "Client roots synchronized ({Count} from the client); workspace roots are now: {Roots}")]
    private static partial void LogRootsAdded(ILogger logger, int count, string roots);

    [LoggerMessage(3112, LogLevel.Information, "Client root '{Uri}' is not a file:// URI and was not added.")]
    private static partial void LogSkippedRoot(ILogger logger, string uri);

    [LoggerMessage(3114, LogLevel.Debug, "The client did not list its roots within {Seconds} s (or the session ended); keeping the configured roots.")]
    private static partial void LogRootsUnanswered(ILogger logger, double seconds);

    [LoggerMessage(3113, LogLevel.Warning, "Could not get the client's roots: {Reason}")]
    private static partial void LogRootsFailed(ILogger logger, string reason);
}

using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Hosting;

/// <summary>The transport-side features both stdio and HTTP add on top of <see cref="ServerComposition.AddMemfunServer"/>.</summary>
internal static class MemfunTransportBuilderExtensions
{
    /// <summary>Adds the host-roots synchronization, the SDK gap fixes (discover versions, not-found data) and, when asked for, the conformance fixture tools.</summary>
    public static IMcpServerBuilder WithMemfunTransportFeatures(this IMcpServerBuilder builder, ServerSettings settings)
    {
        builder.WithMessageFilters(filters => filters
            .AddIncomingFilter(WorkspaceRootsSync.Filter)
            .AddIncomingFilter(ResourceNotFoundDataFilter.Incoming)
            .AddIncomingFilter(ProgressOrderFilter.Incoming)
            .AddOutgoingFilter(ResourceNotFoundDataFilter.Outgoing)
            .AddOutgoingFilter(DiscoverVersionsFilter.Filter)
            .AddOutgoingFilter(ProgressOrderFilter.Outgoing));
        if (settings.ConformanceFixtures)
        {
            builder.WithTools(ConformanceFixtureTools.Create());
        }

        return builder;
    }
}

using Memfun.McpServer.Cli;
using Memfun.McpServer.Hosting;

StartupTrace.Begin();
return await MemfunCli.RunAsync(args).ConfigureAwait(false);

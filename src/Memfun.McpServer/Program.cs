using Memfun.McpServer.Cli;

return await MemfunCli.RunAsync(args).ConfigureAwait(false);

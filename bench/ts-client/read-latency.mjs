// read_file latency as the hosts see it: the TypeScript SDK client (@modelcontextprotocol/sdk, what Claude
// Desktop, Claude Code, Cursor, VS Code and the MCP Inspector embed) against several stdio servers in the
// same run. Every server is started, initialized and listed (so the client caches output schemas and
// validates results, as a host does), warmed up, then the calls alternate between the servers one by one,
// so machine noise hits all of them alike. Repeated for several runs, each with fresh processes.
//
// Run with Node 22 (.tools/node/bin/node). Usage:
//   node bench/ts-client/read-latency.mjs [--runs 5] [--calls 300] [--warmup 100] \
//     --server 'NAME|TOOL|ARGS_JSON|COMMAND ARG…' …
// The last --server is the reference the others are divided by. Prints a markdown table per run and a
// summary, and one JSON line (prefix "json: ") with every figure.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const sdk = path.join(repo, '.tools', 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm');
const { Client } = await import(pathToFileURL(path.join(sdk, 'client', 'index.js')).href);
const { StdioClientTransport } = await import(pathToFileURL(path.join(sdk, 'client', 'stdio.js')).href);
const sdkVersion = (await import(pathToFileURL(path.join(sdk, '..', '..', 'package.json')).href, { with: { type: 'json' } })).default.version;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('--runs', 5);
const calls = option('--calls', 300);
const warmup = option('--warmup', 100);
const servers = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--server') {
    const [name, tool, json, ...command] = args[++i].split('|');
    const words = command.join('|').split(' ').filter(w => w.length > 0);
    servers.push({ name, tool, arguments: JSON.parse(json), command: words[0], args: words.slice(1) });
  }
}
if (servers.length < 2) {
  console.error("usage: read-latency.mjs [--runs N] [--calls N] [--warmup N] --server 'NAME|TOOL|ARGS_JSON|COMMAND ARG…' (two or more; the last is the reference)");
  process.exit(2);
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

async function connect(server) {
  const transport = new StdioClientTransport({ command: server.command, args: server.args, stderr: 'ignore' });
  const client = new Client({ name: 'memfun-bench', version: '1' });
  await client.connect(transport);
  await client.listTools();
  return client;
}

async function call(client, server) {
  const result = await client.callTool({ name: server.tool, arguments: server.arguments });
  if (result.isError) {
    throw new Error(`${server.name}: ${server.tool} failed: ${JSON.stringify(result.content)}`);
  }
  return result;
}

console.log(`# read_file over the TypeScript SDK client ${sdkVersion}, Node ${process.version}: ${runs} runs x ${calls} calls per server, alternating, after ${warmup} warm-up calls each`);
const all = servers.map(() => []);
const perRun = [];
for (let run = 1; run <= runs; run++) {
  const clients = [];
  for (const s of servers) {
    clients.push(await connect(s));
  }
  for (let i = 0; i < warmup; i++) {
    for (let k = 0; k < servers.length; k++) {
      await call(clients[k], servers[k]);
    }
  }
  const times = servers.map(() => []);
  for (let i = 0; i < calls; i++) {
    // Rotate the order each round so no server always goes first.
    for (let j = 0; j < servers.length; j++) {
      const k = (i + j) % servers.length;
      const start = performance.now();
      await call(clients[k], servers[k]);
      times[k].push(performance.now() - start);
    }
  }
  for (const c of clients) {
    await c.close();
  }
  const reference = pct(times[times.length - 1], 50);
  const row = servers.map((s, k) => ({ name: s.name, median: pct(times[k], 50), p95: pct(times[k], 95), ratio: pct(times[k], 50) / reference }));
  perRun.push(row);
  times.forEach((t, k) => all[k].push(...t));
  console.log(`run ${run}: ` + row.map(r => `${r.name} ${r.median.toFixed(3)} ms (${r.ratio.toFixed(2)}x)`).join('; '));
}

console.log('');
console.log('| server | tool | median ms | p95 ms | ratio to reference, median of all calls | ratio per run (min–max) |');
console.log('| --- | --- | ---: | ---: | ---: | --- |');
const referenceAll = pct(all[all.length - 1], 50);
servers.forEach((s, k) => {
  const ratios = perRun.map(r => r[k].ratio);
  console.log(`| ${s.name} | ${s.tool} | ${pct(all[k], 50).toFixed(3)} | ${pct(all[k], 95).toFixed(3)} | ${(pct(all[k], 50) / referenceAll).toFixed(2)}x | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}x |`);
});
console.log('json: ' + JSON.stringify({ sdk: sdkVersion, node: process.version, runs: perRun }));

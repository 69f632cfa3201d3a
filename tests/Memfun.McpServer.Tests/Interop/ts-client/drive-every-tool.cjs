// Drives memfun with the TypeScript SDK client (@modelcontextprotocol/sdk 1.32.x, the client Claude Desktop/Code,
// Cursor, VS Code and the MCP Inspector embed): lists tools, resources and prompts, calls every tool with good
// arguments and with bad ones (wrong type, missing, unknown), reads every resource and a missing one, gets every
// prompt. The client validates each structured result against the tool's outputSchema, as those hosts do.
// Usage: node drive-every-tool.cjs CONFIG.json   (see TypeScriptClientTests.cs for the config); prints a JSON report.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sdk = (p) => require(path.join(config.sdk, 'dist', 'cjs', p));
const { Client } = sdk('client/index.js');
const { StdioClientTransport } = sdk('client/stdio.js');
const { StreamableHTTPClientTransport } = sdk('client/streamableHttp.js');
const { CreateMessageRequestSchema } = sdk('types.js');

const report = { sdkVersion: JSON.parse(fs.readFileSync(path.join(config.sdk, 'package.json'), 'utf8')).version, calls: [], reads: [], prompts: [], samplings: 0 };
const timeout = { timeout: 300000, resetTimeoutOnProgress: true, maxTotalTimeout: 600000 };

function outcome(entry, result) {
  const text = (result.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
  return { ...entry, outcome: result.isError ? 'tool-error' : 'result', text: text.slice(0, 500) };
}

function failure(entry, e) {
  return { ...entry, outcome: 'protocol-error', code: e.code ?? null, message: String(e.message || e).slice(0, 2000) };
}

/** A value of another JSON type than the schema asks for. */
function wrongValue(schema) {
  const types = [].concat(schema.type || []);
  if (types.includes('string')) return 12345;
  if (types.includes('array') || types.includes('object')) return 'not-a-collection';
  return 'not-a-' + (types[0] || 'value');
}

/** Replaces "$name" strings by earlier results' structured fields ("$session" = repl_start's session). */
function fill(args, memory) {
  return JSON.parse(JSON.stringify(args), (_, v) => (typeof v === 'string' && v.startsWith('$') && memory[v.slice(1)] !== undefined ? memory[v.slice(1)] : v));
}

async function main() {
  const transport = config.transport === 'http'
    ? new StreamableHTTPClientTransport(new URL(config.url))
    : new StdioClientTransport({ command: config.command, args: config.args, cwd: config.cwd, env: { ...process.env, ...config.env }, stderr: 'ignore' });
  const client = new Client({ name: 'memfun-ts-driver', version: '1.0.0' }, { capabilities: { sampling: { tools: {} } } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    report.samplings++;
    return { model: 'scripted', role: 'assistant', stopReason: 'endTurn', content: { type: 'text', text: config.sampling } };
  });
  await client.connect(transport);
  report.protocolVersion = transport.protocolVersion ?? null;

  const tools = (await client.listTools()).tools;
  report.tools = tools.map((t) => t.name);
  const memory = {};
  const order = [...Object.keys(config.good).filter((n) => tools.some((t) => t.name === n)), ...tools.map((t) => t.name).filter((n) => !(n in config.good))];
  for (const name of order) {
    const tool = tools.find((t) => t.name === name);
    const props = tool.inputSchema.properties || {};
    const required = tool.inputSchema.required || [];
    const good = name in config.good ? fill(config.good[name], memory) : (required.length === 0 ? {} : null);
    if (good === null) {
      report.calls.push({ tool: name, kind: 'good', outcome: 'no-good-arguments' });
    } else {
      const entry = { tool: name, kind: 'good', arguments: good };
      try {
        const result = await client.callTool({ name, arguments: good }, undefined, timeout);
        report.calls.push(outcome(entry, result));
        if (result.structuredContent && typeof result.structuredContent === 'object') Object.assign(memory, result.structuredContent);
      } catch (e) {
        report.calls.push(failure(entry, e));
      }
    }

    const bad = [];
    const first = Object.keys(props)[0];
    if (first) bad.push({ kind: 'wrong-type', arguments: { ...(good || {}), [first]: wrongValue(props[first]) } });
    if (required.length > 0) bad.push({ kind: 'missing', arguments: {} });
    bad.push({ kind: 'unknown', arguments: { ...(good || {}), zz_not_an_argument: true } });
    for (const b of bad) {
      const entry = { tool: name, kind: b.kind, arguments: b.arguments };
      try {
        report.calls.push(outcome(entry, await client.callTool({ name, arguments: b.arguments }, undefined, timeout)));
      } catch (e) {
        report.calls.push(failure(entry, e));
      }
    }
  }

  const resources = (await client.listResources()).resources;
  const templates = (await client.listResourceTemplates()).resourceTemplates;
  report.resources = resources.map((r) => r.uri);
  report.templates = templates.map((t) => t.uriTemplate);
  for (const uri of [...resources.map((r) => r.uri), ...config.reads]) {
    try {
      const read = await client.readResource({ uri });
      report.reads.push({ uri, outcome: 'result', contents: read.contents.length });
    } catch (e) {
      report.reads.push(failure({ uri }, e));
    }
  }

  for (const uri of config.missing) {
    try {
      await client.readResource({ uri });
      report.reads.push({ uri, missing: true, outcome: 'result' });
    } catch (e) {
      report.reads.push(failure({ uri, missing: true }, e));
    }
  }

  const prompts = (await client.listPrompts()).prompts;
  for (const prompt of prompts) {
    const args = Object.fromEntries((prompt.arguments || []).map((a) => [a.name, config.promptArgument]));
    try {
      const got = await client.getPrompt({ name: prompt.name, arguments: args });
      report.prompts.push({ name: prompt.name, outcome: 'result', messages: got.messages.length });
    } catch (e) {
      report.prompts.push(failure({ name: prompt.name }, e));
    }
  }

  await client.close();
}

// Exit only once the report is written: a pipe takes a large write in several steps.
main().then(
  () => process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0)),
  (e) => { report.fatal = String(e && e.stack || e); process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(1)); });

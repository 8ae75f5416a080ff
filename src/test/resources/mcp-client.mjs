// A model-side MCP client for McpOverHttpTest, written with the official TypeScript SDK (installed by .ci/test-servers
// in MCP_CLIENT_HOME): initialize over Streamable HTTP with a bearer token, tools/list, then each call of the plan in
// order. Prints one JSON line per step: {"event": "initialized" | "tools" | "call" | "failed", ...}.
//
//   MCP_CLIENT_HOME=... MCP_TOKEN=... node mcp-client.mjs <url> '<[{"name": ..., "arguments": ...}, ...]>'
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.MCP_CLIENT_HOME, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const [url, plan] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
});
const client = new Client({ name: 'api-step-test-client', version: '1.0.0' });
try {
  await client.connect(transport);
  print({ event: 'initialized', protocolVersion: transport.protocolVersion, server: client.getServerVersion(),
    capabilities: client.getServerCapabilities() });
  print({ event: 'tools', tools: (await client.listTools()).tools });
  for (const call of JSON.parse(plan ?? '[]')) {
    try {
      print({ event: 'call', name: call.name, arguments: call.arguments, result: await client.callTool(call) });
    } catch (error) {
      // The SDK refuses an answer that breaks the protocol (e.g. structuredContent against the outputSchema).
      print({ event: 'call', name: call.name, arguments: call.arguments, error: String(error) });
    }
  }
  await transport.terminateSession();
} catch (error) {
  print({ event: 'failed', error: String(error) });
  process.exitCode = 1;
} finally {
  await client.close();
}

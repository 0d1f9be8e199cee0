// The task's MCP servers as Claude Code reads them (`claude --mcp-config FILE`). Pure.
import type { McpServer } from '../../task/mcp.js';

/** Written to the trial's agent folder, /logs/agent in the container (the file is kept with the trial). */
export const MCP_CONFIG_FILE = 'mcp-config.json';

/**
 * Claude Code's MCP config (`claude --mcp-config FILE`): `{"mcpServers": {name: {type,
 * url} | {type: "stdio", command, args}}}`; its "http" is Harbor's "streamable-http"
 * (as Harbor's claude_code.py writes it into ~/.claude.json).
 */
export function claudeMcpConfig(servers: readonly McpServer[]): { mcpServers: Record<string, unknown> } {
  const mcpServers: Record<string, unknown> = {};
  for (const s of servers) {
    mcpServers[s.name] =
      s.transport === 'stdio'
        ? { type: 'stdio', command: s.command, args: s.args }
        : { type: s.transport === 'streamable-http' ? 'http' : s.transport, url: s.url };
  }
  return { mcpServers };
}

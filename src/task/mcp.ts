// `[[environment.mcp_servers]]`: MCP servers the task offers its agent, with Harbor's model
// (src/harbor/models/task/config.py, MCPServerConfig): transport "sse" by default, "http"
// read as "streamable-http", `url` required for sse and streamable-http, `command` for stdio.
import { z } from 'zod';

export const mcpServerSchema = z
  .looseObject({
    name: z.string().min(1),
    transport: z
      .enum(['stdio', 'sse', 'streamable-http', 'http'])
      .transform((t) => (t === 'http' ? 'streamable-http' : t))
      .optional(),
    url: z.string().min(1).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
  })
  .superRefine((s, ctx) => {
    const transport = s.transport ?? 'sse';
    if (transport !== 'stdio' && !s.url)
      ctx.addIssue({ code: 'custom', path: ['url'], message: `required for transport "${transport}"` });
    if (transport === 'stdio' && !s.command)
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'required for transport "stdio"' });
  });

export interface McpServer {
  name: string;
  transport: 'stdio' | 'sse' | 'streamable-http';
  url?: string;
  command?: string;
  args: string[];
}

export function toMcpServers(list: Array<z.infer<typeof mcpServerSchema>> | undefined): McpServer[] {
  return (list ?? []).map((s) => ({
    name: s.name,
    transport: s.transport ?? 'sse',
    ...(s.url !== undefined ? { url: s.url } : {}),
    ...(s.command !== undefined ? { command: s.command } : {}),
    args: s.args ?? [],
  }));
}

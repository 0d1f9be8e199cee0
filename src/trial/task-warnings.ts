// What a trial records at its start about task.toml keys it will not honour (README "Task
// format"): keys Harbor reads that tb2 does not support yet (task/unsupported-keys.ts), and
// MCP servers offered to an agent that takes no MCP configuration. Each is one warning line
// in the log and an entry of `exceptions` (never exception_info: result/reduce.ts OWN_WARNINGS).
import type { Agent } from '../agents/types.js';
import type { Task } from '../task/load.js';

export const UNSUPPORTED_SETTING = 'UnsupportedTaskSetting';
export const MCP_IGNORED = 'McpServersIgnored';

export function taskWarnings(
  task: Pick<Task, 'warnings' | 'config'>,
  agent: Pick<Agent, 'name' | 'takesMcpServers'>,
): Array<{ type: string; message: string }> {
  const out = task.warnings.map((message) => ({ type: UNSUPPORTED_SETTING, message }));
  const servers = task.config.mcpServers;
  if (servers.length && !agent.takesMcpServers)
    out.push({
      type: MCP_IGNORED,
      message: `task.toml: [[environment.mcp_servers]] ${servers.map((s) => s.name).join(', ')}: ignored, the ${agent.name} agent takes no MCP configuration`,
    });
  return out;
}

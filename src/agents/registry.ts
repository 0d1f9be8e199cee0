// Agents by name (vitest's reporters-by-name pattern): one small file per agent.
import { AGENT_NAMES, type AgentName } from '../config/agent-names.js';
import { UsageError } from '../errors.js';
import { claudeCodeAgent } from './claude-code.js';
import { codexAgent } from './codex.js';
import { commandAgent } from './command.js';
import { geminiCliAgent } from './gemini-cli.js';
import { opencodeAgent } from './opencode.js';
import { oracleAgent } from './oracle.js';
import { qwenCodeAgent } from './qwen-code.js';
import type { Agent, AgentSettings } from './types.js';

const factories: Record<AgentName, (s: AgentSettings) => Agent> = {
  oracle: () => oracleAgent(),
  command: (s) => commandAgent(s.agentCommand, s.forwardEnv),
  'claude-code': (s) => claudeCodeAgent(s),
  codex: (s) => codexAgent(s),
  opencode: (s) => opencodeAgent(s),
  'gemini-cli': (s) => geminiCliAgent(s),
  'qwen-code': (s) => qwenCodeAgent(s),
};

export function createAgent(s: AgentSettings): Agent {
  const make = factories[s.agent] as ((s: AgentSettings) => Agent) | undefined;
  if (!make) throw new UsageError(`agent: unknown agent "${s.agent}" (expected one of: ${AGENT_NAMES.join(', ')})`);
  return make(s);
}

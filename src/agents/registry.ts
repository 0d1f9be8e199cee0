// Agents by name (vitest's reporters-by-name pattern): one small file per agent.
import { UsageError } from '../errors.js';
import { claudeCodeAgent } from './claude-code.js';
import { commandAgent } from './command.js';
import { oracleAgent } from './oracle.js';
import type { Agent, AgentSettings } from './types.js';

const factories: Record<string, (s: AgentSettings) => Agent> = {
  oracle: () => oracleAgent(),
  command: (s) => commandAgent(s.agentCommand, s.forwardEnv),
  'claude-code': (s) => claudeCodeAgent(s),
};

export const AGENT_NAMES = Object.keys(factories);

export function createAgent(s: AgentSettings): Agent {
  const make = factories[s.agent];
  if (!make) throw new UsageError(`agent: unknown agent "${s.agent}" (expected one of: ${AGENT_NAMES.join(', ')})`);
  return make(s);
}

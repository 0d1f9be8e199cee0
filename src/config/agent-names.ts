// The agents a user may name (`--agent`, input `agent`). The registry in src/agents/ maps
// every one of them to its factory, and the compiler holds the two lists together.
export const AGENT_NAMES = [
  'oracle',
  'command',
  'claude-code',
  'codex',
  'opencode',
  'gemini-cli',
  'qwen-code',
] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

// Which of the forwarded variables (trial/plan.ts: the providers' prefixes and --agent-env
// names) an agent passes into its container: its own provider's, plus the names the user
// listed. A key for one provider never reaches another provider's agent. Pure.
import type { AgentSettings } from './types.js';

export function envFor(
  s: Pick<AgentSettings, 'forwardEnv' | 'agentEnv'>,
  prefixes: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.forwardEnv))
    if (prefixes.some((p) => k.startsWith(p)) || (s.agentEnv ?? []).includes(k)) out[k] = v;
  return out;
}
